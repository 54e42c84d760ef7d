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
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.reads import READ_OBJECT_TYPE, naming_patient
from otclinic.clinic.clearinghouse.models import ClaimStatusInquiry
from otclinic.clinic.jobs.models import JobRun
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import EligibilityRequest
from otclinic.clinic.revenue.models import Claim
from tests import clock
from tests.clinic import factories as f
from tests.clinic.fhir import tenant_records as fhir_records
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
    "api:remittance_list": "payments: payers, amounts, trace numbers",
    "physician-list": "physicians",
    "physician-new": "an empty form",
    "physician-detail": "a physician and counts, no patient named",
    "billing-codes": "the clinic's billing codes",
    "billing-code-edit": "one billing code",
    "clearinghouse": "payer connections and file counts",
    "clearinghouse-connection": "one payer's connection settings",
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
    "ar-figures": "A/R key figures: sums, and counts by payer and CARC",
    "hiring-list": "job postings",
    "hiring-settings": "hiring settings",
    "hiring-posting": "a posting and its applicants",
    "hiring-applicant": "an applicant",
    # The user's own account and the session.
    "second-factor-enrol": "the user's own second factor",
    "sign-in-policy": "the organization's sign-in rules",
    "mrn-pattern": "the organization's MRN prefix, digits and next number",
    "ping": "the layout only",
    "messages-badge": "a count",
    "job-list": "job kinds and counts",
    "audit-review": "entries by id and count; a chosen patient is a read (test_review.py)",
    "audit-review-export": "as audit-review: ids, never names",
    # Reports by count, clinician or payer (the lists of patients behind them are below).
    "reports": "the list of reports",
    "report-end-of-day": "the day's counts and amounts",
    "report-csv-end-of-day": "as report-end-of-day",
    "report-productivity": "visits and units per clinician",
    "report-csv-productivity": "as report-productivity",
    "report-notes": "notes owed per clinician, by age",
    "report-csv-notes": "as report-notes",
    "report-rows-remittances": "payers' payments",
    "staff-admin": "staff",
    "note-review-settings": "the clinic's choice of what blocks signing",
    "shorthand-table": "the clinic's abbreviations",
    "assistant-settings": "the organization's language model settings",
    "api-tokens": "the user's API tokens",
    "smart-clients": "the organization's registered FHIR apps",
    # FHIR's directory types: staff, the practice, its clinics.
    "fhir-Practitioner-search": "staff and referring physicians",
    "fhir-Practitioner-read": "a member of staff",
    "fhir-Organization-search": "the practice and its payers",
    "fhir-Organization-read": "the practice",
    "fhir-PractitionerRole-search": "clinicians' roles",
    "fhir-PractitionerRole-read": "a clinician's role",
    "fhir-Location-search": "clinics",
    "fhir-Location-read": "a clinic",
    "fhir-export-status": "a bulk export's manifest: file URLs and counts",
}
# Polls of a page that was audited when it was opened, re-showing it to the same user.
POLLS = {"thread-messages": "the open conversation's messages, every 5 s"}
# Pages that list patients, but none of this walk's records: what they show is covered by
# their own tests (tests/clinic/audit/test_reads.py).
LISTS_EMPTY_HERE = {
    "ar-aging": "payer buckets; the patient side lists balances, none here",
    "patient-balances": "patients who owe; nobody owes here",
    "era-unmatched": "unmatched 835 claims; none here",
    "era-unmatched-match": "an unmatched 835 claim, matched to none here",
    "scheduling:clinician-calendar": "the clinician's appointments: none for this one",
    "cosign-queue": "notes waiting for the user's co-signature: none here",
    "supervision-notes": "supervisees' notes waiting or returned: none here",
    "supervision-ota": "the OTA's caseload (the contact form's patients) and contacts: none here",
    "staff-admin-detail": "a member of staff's open work: none for this one",
    **{
        f"report-rows-{kind}": "the rows behind a report's count: none of today's here"
        for kind in (
            "appointments-completed",
            "appointments-no_show",
            "appointments-cancelled",
            "notes-signed",
            "notes-unsigned",
            "notes-missing",
            "charges",
            "desk-payments",
        )
    },
}


def _files_name_the_patient(t: Tenant) -> None:
    """The tenant's files and job hold the patient the way real ones do: the 837P batch bills
    their claim, the 270 asks about their coverage, the 277 answers about their claim, and the
    job left one of their notes aside."""
    claim, batch = ID_KINDS["claim_id"](t), ID_KINDS["batch_id"](t)
    Claim.objects.filter(pk=claim).update(batch=batch)
    EligibilityRequest.objects.create(
        organization=t.org,
        coverage=t.coverage,
        service_date=clock.TODAY,
        trace_number="T1",
        sent_in_id=ID_KINDS["file_id"](t),
    )
    ClaimStatusInquiry.objects.create(
        organization=t.org,
        claim_id=claim,
        trace_number="T2",
        asked_on=clock.TODAY,
        answered_in_id=ID_KINDS["exchange_file_id"](t),
    )
    job = JobRun.objects.get(pk=ID_KINDS["job_id"](t))
    job.errors = [e | {"patient_id": str(t.patient.pk)} for e in job.errors]
    job.save()
    # The records the API's lists show exist before the lists are walked, not only once a
    # route that names one has made it.
    for kind in ("denial_id", "remittance_id", "thread_id", "task_id"):
        ID_KINDS[kind](t)


def _query(route: Route, t: Tenant) -> str:
    """What a search or a calendar needs to show the tenant's patient."""
    visit = appointment(t)
    day = f"?day={timezone.localdate(visit.starts_at).isoformat()}&clinician={visit.clinician_id}"
    return {
        "patient-search": f"?q={t.patient.last_name}",
        "api:patient_search": f"?q={t.patient.last_name}",
        "scheduling:patient-search": f"?patient_q={t.patient.last_name}",
        "scheduling:day": day,
        "scheduling:week": day,
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


def _open(clients: dict[str, Client], url: str) -> tuple[str, Any, QuerySet[AuditEvent]] | None:
    """The first role that opens `url`, its answer and the VIEW entries it left."""
    for role in ROLES:
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = clients[role].get(url)
        if response.status_code == 200:
            return role, response, AuditEvent.objects.filter(seq__gt=last, action=AuditAction.VIEW)
    return None


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_page_showing_a_patient_leaves_one_read_entry_naming_them() -> None:
    t = _tenant()
    _files_name_the_patient(t)
    clients = _clients(t)
    # The first name: the tenant's payer and codes borrow the last name (a secret of the
    # isolation walk), which would show on pages that hold no patient.
    Patient.objects.filter(pk=t.patient.pk).update(first_name="Quorrelby")
    name = re.compile(r"\bQuorrelby\b", re.IGNORECASE)
    problems, opened = [], set()
    for route in ROUTES:
        if route.name in PUBLIC:
            continue
        url = route.url({p: ID_KINDS[p](t) for p in route.params}) + _query(route, t)
        found = _open(clients, url)
        if found is None:
            continue  # a form's POST, or a page none of the roles opens
        opened.add(route.name)
        role, response, viewed = found
        # The FHIR routes read one signed record of its own patient (tests.clinic.fhir.records).
        whose = fhir_records.record(t).patient.pk if route.name.startswith("fhir-") else None
        naming = naming_patient(viewed, t.patient.pk).count() or (
            naming_patient(viewed, whose).count() if whose else 0
        )
        reads = viewed.filter(object_type=READ_OBJECT_TYPE).count()
        shows_name = bool(name.search(_body(response)))
        if route.name in POLLS:
            if naming:
                problems.append(f"{route.name} ({role}) is a poll, yet left a read entry")
        elif route.name in NO_PATIENT_DATA or route.name in LISTS_EMPTY_HERE:
            if naming or shows_name:
                problems.append(
                    f"{route.name} ({role}) is listed as showing no patient, yet "
                    f"{'names them' if shows_name else 'left a read entry'}"
                )
        elif (naming, reads) != (1, 1):
            problems.append(f"{route.name} ({role}): {reads} read entries, {naming} naming them")
    assert not problems, "\n".join(problems)
    # The allow-lists name pages that exist and that the walk opened.
    assert set(NO_PATIENT_DATA) | set(LISTS_EMPTY_HERE) | set(POLLS) <= opened
