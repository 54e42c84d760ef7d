"""A billing run in bulk: the same charges as one note at a time, every inserted row named in
the audit trail, no query per note, and the scrubber reading the decision kept with the charges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.revenue import charges as charge_services
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.claim_assembly import claims_assemble
from otclinic.clinic.revenue.models import Charge, Claim, ClaimLine, ThresholdOpeningBalance
from otclinic.clinic.revenue.scrubber import scrub_claim
from otclinic.domain.compliance.findings import Severity
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note

pytestmark = pytest.mark.django_db
D = Decimal


def _named_in_audit(object_type: str, pk: object) -> bool:
    """Whether an audit entry names the row: its own entry, or a bulk entry listing it."""
    entries = AuditEvent.objects.filter(object_type=object_type)
    return any(
        entry.object_id == str(pk) or str(pk) in (entry.object_ids or []) for entry in entries
    )


def _notes(b: Billing, count: int) -> None:
    for day in range(count):
        note(b, ("97530", {"therapist_minutes": 38}), day=dt.date(2026, 3, 10 + day))


def test_every_row_a_billing_run_inserts_is_named_in_the_audit_trail() -> None:
    b = billing_practice()
    _notes(b, 3)
    charges_create_for_signed_notes(user=b.biller)
    claims_assemble(user=b.biller)
    rows = [
        *(("revenue.charge", pk) for pk in Charge.objects.values_list("pk", flat=True)),
        *(("revenue.claim", pk) for pk in Claim.objects.values_list("pk", flat=True)),
        *(("revenue.claimline", pk) for pk in ClaimLine.objects.values_list("pk", flat=True)),
    ]
    assert len(rows) == 3 + 1 + 3
    assert [row for row in rows if not _named_in_audit(*row)] == []


def test_a_charge_run_reads_and_writes_in_bulk_however_many_notes() -> None:
    small, large = billing_practice(), billing_practice()
    _notes(small, 2)
    _notes(large, 8)
    with CaptureQueriesContext(connection) as two:
        assert charges_create_for_signed_notes(user=small.biller).charges_created == 2
    with CaptureQueriesContext(connection) as eight:
        assert charges_create_for_signed_notes(user=large.biller).charges_created == 8
    assert len(eight.captured_queries) == len(two.captured_queries)


def test_the_threshold_counts_the_charges_made_earlier_in_the_same_run() -> None:
    b = billing_practice()
    ThresholdOpeningBalance.objects.create(
        organization=b.org, patient=b.patient, year=2026, bucket="OT", amount=D("2440.00")
    )
    note(b, ("97110", {"therapist_minutes": 15}), day=dt.date(2026, 3, 10))
    note(b, ("97530", {"therapist_minutes": 15}), day=dt.date(2026, 3, 11))
    note(b, ("97110", {"therapist_minutes": 15}), day=dt.date(2026, 3, 13))
    charges_create_for_signed_notes(user=b.biller)
    # 2440.00 + 30.00 stays under 2480.00; + 35.10 passes it, and so does every later line.
    modifiers = [c.modifiers for c in Charge.objects.order_by("date_of_service")]
    assert ["KX" in m for m in modifiers] == [False, True, True]


def test_the_same_notes_get_the_same_charges_in_one_batch_or_one_note_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run(batch: int) -> list[tuple[object, ...]]:
        monkeypatch.setattr(charge_services, "BATCH_NOTES", batch)
        b = billing_practice()
        ThresholdOpeningBalance.objects.create(
            organization=b.org, patient=b.patient, year=2026, bucket="OT", amount=D("2400.00")
        )
        _notes(b, 4)
        charges_create_for_signed_notes(user=b.biller)
        return [
            (c.date_of_service, c.code, c.units, sorted(c.modifiers), c.amount, c.expected_allowed)
            for c in Charge.objects.filter(organization=b.org).order_by("date_of_service")
        ]

    assert run(1) == run(200)


KEPT = {
    "rule_id": "billing.kept",
    "severity": "warning",
    "message": "as decided when the charges were created",
    "citation": "the charge",
}


def test_the_scrubber_shows_the_findings_kept_with_the_charges() -> None:
    b = billing_practice()
    note(b)
    charges_create_for_signed_notes(user=b.biller)
    Charge.objects.update(billing_findings=[KEPT])
    [claim] = claims_assemble(user=b.biller)
    [problem] = [p for p in scrub_claim(claim) if p.rule_id == "billing.kept"]
    assert problem.severity is Severity.WARNING
    # The kept message is the plain sentence; its citation is kept for "Why?".
    assert problem.message == "as decided when the charges were created"
    assert problem.citation == "the charge"


def test_a_note_with_a_charge_made_before_findings_were_kept_is_checked_again() -> None:
    b = billing_practice()
    note(b, ("97530", {"therapist_minutes": 38}), ("97110", {"therapist_minutes": 15}))
    charges_create_for_signed_notes(user=b.biller)
    first, second = Charge.objects.order_by("code")
    Charge.objects.filter(pk=first.pk).update(billing_findings=[KEPT])
    Charge.objects.filter(pk=second.pk).update(billing_findings=None)
    [claim] = claims_assemble(user=b.biller)
    assert [p for p in scrub_claim(claim) if p.rule_id == "billing.kept"] == []
