"""The ledger is the truth: a claim's charges enter the ledger when the claim is made, so A/R
counts a claim that is submitted and not yet paid; posting its 835 adds no second charge; a
voided claim leaves A/R."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.aging import aging_report
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.export import claims_export
from otclinic.clinic.revenue.models import ClaimStatus, LedgerEntry, LedgerKind
from otclinic.clinic.revenue.posting import era_import
from otclinic.clinic.revenue.statements import patient_balance
from tests.clinic.revenue.claims.builders import billing_practice, note
from tests.clinic.revenue.remittance.helpers import era

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _submitted_claim() -> tuple:
    b = billing_practice()
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    return b, claim


def test_a_claim_made_is_on_the_ledger_and_in_a_r_by_payer_before_any_payment() -> None:
    b, claim = _submitted_claim()
    report = aging_report(organization_id=b.org.pk, as_of=TODAY)
    [row] = report.rows
    assert row.payer == b.payer.name
    assert row.total == claim.total_charge == Decimal("360.00")
    assert patient_balance(patient=b.patient) == Decimal("0.00")  # the payer owes it
    svc.claim_mark_ready(claim=claim, user=b.biller)
    claims_export(user=b.biller)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert aging_report(organization_id=b.org.pk, as_of=TODAY).total == Decimal("360.00")


def test_posting_the_835_adds_no_second_charge_and_a_r_follows_the_payment() -> None:
    b, claim = _submitted_claim()
    [line] = claim.lines.all()
    paid = era(
        [
            f"CLP*{claim.patient_control_number}*1*360.00*200.00*40.00*MB*PAYER1~"
            f"SVC*HC:97530:GO:CO*360.00*200.00**3~DTM*472*{line.date_of_service:%Y%m%d}~"
            "CAS*CO*45*120.00~CAS*PR*2*40.00"
        ],
        payment="200.00",
    )
    era_import(user=b.biller, raw=paid.encode(), filename="paid.835")
    charges = LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CHARGE)
    assert [e.amount for e in charges] == [Decimal("360.00")]
    report = aging_report(organization_id=b.org.pk, as_of=TODAY)
    assert report.total == Decimal("40.00") == patient_balance(patient=b.patient)


def test_a_voided_draft_leaves_a_r() -> None:
    b, claim = _submitted_claim()
    svc.claim_set_status(claim=claim, status=ClaimStatus.VOID, user=b.biller)
    assert aging_report(organization_id=b.org.pk, as_of=TODAY).total == Decimal("0.00")
