"""Every GET that shows a patient's data leaves exactly one read entry naming that patient.

The walk covers the whole URLconf, like tests/clinic/test_tenant_isolation.py, whose tenant (one
of each record, all about one patient) it reuses: a page added later is covered at once. Each
URL is opened as the first role it answers 200 for; a page that shows the patient's name must
leave one entry naming them, and so must every other page except those in NO_PATIENT_DATA, which
must leave none and show no name.
"""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.reads import naming_patient
from tests.clinic import factories as f
from tests.clinic.scheduling.tenant_records import appointment
from tests.clinic.test_tenant_isolation import ID_KINDS, PUBLIC, ROUTES, Route, Tenant, _tenant

pytestmark = pytest.mark.django_db

ROLES = ("clinic_admin", "OT", "biller", "front_desk", "portal")

# Pages that answer 200 and show no patient's data, each with why.
NO_PATIENT_DATA = {
    # Reference lists: physicians, payers, billing codes, clearinghouse connections.
    "api:physician_list": "physicians, not patients",
    "api:physician_get": "a physician",
    "api:payer_list": "payers",
    "physician-list": "physicians",
    "physician-new": "an empty form",
    "physician-detail": "a physician and counts, no patient named",
    "billing-codes": "the clinic's billing codes",
    "billing-code-edit": "one billing code",
    "clearinghouse": "payer connections and file counts",
    "clearinghouse-connection": "one payer's connection settings",
    "eligibility": "the form to ask; answers are listed by the job, not here",
    # Forms and uploads that show nothing until used.
    "era-upload": "an upload form",
    "acknowledgment-upload": "an upload form",
    "thread-new": "an empty form (the patient is chosen by search, an htmx read of its own)",
    "scheduling:book": "an empty form",
    "scheduling:series": "an empty form",
    "patient-new": "an empty form for a new patient",
    "fieldwork-new": "an empty form",
    "hiring-posting-new": "an empty form",
    # Staff, students and applicants are not patients (an applicant's page is audited apart).
    "staff-list": "staff",
    "staff-detail": "a member of staff",
    "fieldwork-list": "students' placements",
    "fieldwork-placement": "a student's placement",
    "supervision-dashboard": "OTAs and their supervision figures",
    "hiring-list": "job postings",
    "hiring-settings": "hiring settings",
    "hiring-posting": "a posting and its applicants",
    "hiring-applicant": "an applicant",
    # The user's own account and the session.
    "second-factor-enrol": "the user's own second factor",
    "sign-in-policy": "the organization's sign-in rules",
    "ping": "the layout only",
    "messages-badge": "a count",
    "job-list": "job kinds and counts",
    "audit-review": "audited itself: names a patient only when one is chosen (its own tests)",
    "audit-review-export": "as audit-review",
}
# Pages that list patients, but none of this walk's records: what they show is covered by
# their own tests (tests/clinic/audit/test_reads.py).
LISTS_EMPTY_HERE = {
    "ar-aging": "payer buckets; the patient side lists balances, none here",
    "patient-balances": "patients who owe; nobody owes here",
    "era-unmatched": "unmatched 835 claims; none here",
    "era-unmatched-match": "an unmatched 835 claim, matched to none here",
    "scheduling:clinician-calendar": "the clinician's appointments: none for this one",
    "tasks": "the user's tasks: none here for the role that opens it",
    "cosign-queue": "notes waiting for the user's co-signature: none here",
    "home": "the biller's home lists work counts only",
}


def _query(route: Route, t: Tenant) -> str:
    """What a search or a calendar needs to show the tenant's patient."""
    day = timezone.localdate(appointment(t).starts_at).isoformat()
    return {
        "patient-search": f"?q={t.patient.last_name}",
        "api:patient_search": f"?q={t.patient.last_name}",
        "scheduling:patient-search": f"?patient_q={t.patient.last_name}",
        "scheduling:day": f"?day={day}",
        "scheduling:week": f"?day={day}",
        "api:coverage_list": f"?patient_id={t.patient.pk}",
    }.get(route.name, "")


def _clients(t: Tenant) -> dict[str, Client]:
    users = {
        "clinic_admin": t.user,
        "OT": t._made["episode"].therapist.user,
        "biller": f.staff_user(organization=t.org, role="biller"),
        "front_desk": f.staff_user(organization=t.org, role="front_desk"),
        "portal": f.PortalAccessFactory(patient=t.patient).user,
    }
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="ignore")


def _open(clients: dict[str, Client], url: str) -> tuple[str, Any, list[AuditEvent]] | None:
    """The first role that opens `url`, its answer and the read entries it left."""
    for role in ROLES:
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = clients[role].get(url)
        if response.status_code == 200:
            reads = AuditEvent.objects.filter(seq__gt=last, action=AuditAction.VIEW)
            return role, response, list(reads)
    return None


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_page_showing_a_patient_leaves_one_read_entry_naming_them() -> None:
    t = _tenant()
    clients = _clients(t)
    name = re.compile(rf"{re.escape(t.patient.last_name)}\b", re.IGNORECASE)
    problems, opened = [], set()
    for route in ROUTES:
        if route.name in PUBLIC:
            continue
        url = route.url({p: ID_KINDS[p](t) for p in route.params}) + _query(route, t)
        found = _open(clients, url)
        if found is None:
            continue  # a form's POST, or a page none of the roles opens
        opened.add(route.name)
        role, response, reads = found
        naming = [
            e for e in reads if naming_patient(AuditEvent.objects.filter(pk=e.pk), t.patient.pk)
        ]
        shows_name = bool(name.search(_body(response)))
        if route.name in NO_PATIENT_DATA or route.name in LISTS_EMPTY_HERE:
            if naming or shows_name:
                problems.append(
                    f"{route.name} ({role}) is listed as showing no patient, yet "
                    f"{'names them' if shows_name else 'left a read entry'}"
                )
        elif len(naming) != 1 or len(reads) != 1:
            problems.append(
                f"{route.name} ({role}): {len(reads)} read entries, "
                f"{len(naming)} naming the patient"
            )
    assert not problems, "\n".join(problems)
    # The allow-lists name pages that exist and that the walk opened.
    assert set(NO_PATIENT_DATA) | set(LISTS_EMPTY_HERE) <= opened | {
        "audit-review",
        "audit-review-export",
    }
