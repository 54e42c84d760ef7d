"""The pages that must stay fast as the clinic grows (issue 12), each as the demo login that
works there: every role's home, patient search, a chart, a note, the co-sign queue, the day and
week calendar, the claims list, the denials queue, A/R aging, patient balances, messages and the
supervision dashboard; and the baseline, `/ping/`, the layout with no data.

Shared by the query-count tests (test_page_queries.py) and the benchmark (bench/pages.py), so
both measure the same pages.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db.models import Count

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.patients.models import Patient

BASELINE = "/ping/"


@dataclass(frozen=True)
class PageSpec:
    name: str
    login: str
    path: str


def heaviest_chart(organization: Any) -> Patient:
    """The OT's patient with the most notes: the largest chart a clinician opens."""
    ot = User.objects.get(username="ot.demo")
    patients = Patient.objects.filter(organization=organization).annotate(
        n=Count("episodes__notes")
    )
    found = patients.filter(episodes__therapist__user=ot).order_by("-n", "pk").first()
    return found or patients.order_by("-n", "pk")[0]


def pages(organization: Any) -> list[PageSpec]:
    """Every page to measure in the demo clinic `organization`."""
    patient = heaviest_chart(organization)
    note = (
        TreatmentNote.objects.filter(
            organization=organization,
            episode__patient=patient,
            status__in=(NoteStatus.SIGNED, NoteStatus.COSIGNED),
        )
        .order_by("-date_of_service", "pk")
        .first()
    )
    assert note is not None, "the heaviest chart has no signed note"
    return [
        PageSpec("home: OT", "ot.demo", "/"),
        PageSpec("home: OTA", "ota.demo", "/"),
        PageSpec("home: PT", "pt.demo", "/"),
        PageSpec("home: SLP", "slp.demo", "/"),
        PageSpec("home: student", "student.demo", "/"),
        PageSpec("home: biller", "biller.demo", "/"),
        PageSpec("home: front desk", "frontdesk.demo", "/"),
        PageSpec("home: clinic admin", "admin.demo", "/"),
        PageSpec("home: patient (portal)", "patient.demo", "/portal/"),
        PageSpec("home: caregiver (portal)", "caregiver.demo", "/portal/"),
        # A common surname's first letters: the results are capped, whatever the clinic's size.
        PageSpec("patient search", "ot.demo", f"/patients/?q={quote(patient.last_name[:2])}"),
        # By birth date and by the last digits of a phone, the front desk's searches.
        PageSpec(
            "patient search: birth date",
            "frontdesk.demo",
            f"/patients/?q={quote(patient.birth_date.strftime('%m/%d/%Y'))}",
        ),
        PageSpec("patient search: phone", "frontdesk.demo", f"/patients/?q={quote('555-01')}"),
        PageSpec("chart", "ot.demo", f"/patients/{patient.pk}/"),
        # The chart's section on each episode, which it loads by htmx when it comes into view.
        PageSpec("chart: episodes section", "ot.demo", f"/patients/{patient.pk}/care/"),
        PageSpec("note", "ot.demo", f"/care/notes/{note.pk}/"),
        PageSpec("co-sign queue", "ot.demo", "/care/cosign/"),
        PageSpec("day calendar: OT", "ot.demo", "/schedule/"),
        PageSpec("day calendar: front desk", "frontdesk.demo", "/schedule/"),
        PageSpec("week calendar: OT", "ot.demo", "/schedule/week/"),
        PageSpec("week calendar: front desk", "frontdesk.demo", "/schedule/week/"),
        # Six clinicians side by side on the day grid, the first page of them.
        PageSpec(
            "day calendar: clinicians side by side", "frontdesk.demo", "/schedule/?by=clinician"
        ),
        PageSpec("day calendar: rooms side by side", "frontdesk.demo", "/schedule/?by=room"),
        PageSpec("claims list", "biller.demo", "/billing/claims/"),
        PageSpec("denials queue", "biller.demo", "/billing/denials/"),
        PageSpec("A/R aging", "biller.demo", "/billing/aging/"),
        PageSpec("patient balances", "biller.demo", "/billing/balances/"),
        PageSpec("messages", "ot.demo", "/messages/"),
        PageSpec("supervision: OT", "ot.demo", "/supervision/"),
        PageSpec("supervision: clinic admin", "admin.demo", "/supervision/"),
    ]


def baselines(specs: list[PageSpec]) -> list[PageSpec]:
    """`/ping/` as every login that `specs` uses."""
    logins = sorted({spec.login for spec in specs})
    return [PageSpec(f"baseline {BASELINE}: {login}", login, BASELINE) for login in logins]
