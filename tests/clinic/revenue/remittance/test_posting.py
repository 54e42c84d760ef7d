"""Posting 835s: every shared sample, idempotence, all or nothing, reconciliation to the cent."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine

from otclinic.clinic.revenue import posting, posting_lines
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimStatus,
    Denial,
    LedgerEntry,
    LedgerKind,
    Remittance,
    RemittanceClaim,
)
from otclinic.domain.claims.x12.era import read_era_bytes
from otclinic.domain.claims.x12.era_model import ClaimPayment
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import SAMPLES_835, era, ledger_sum, make_claim
from tests.domain.claims.era.samples import SAMPLE_835S

pytestmark = pytest.mark.django_db

ZERO = Decimal("0.00")


def claims_for(org: Any, payment: ClaimPayment) -> Claim:
    """Our claim as the payer saw it: one line per SVC, or one line for the whole claim."""
    when = dt.date(2026, 3, 2)
    lines = [(s.procedure[:5], str(s.charge), s.date or when) for s in payment.services] or [
        ("97530", str(payment.charge), when)
    ]
    return make_claim(organization=org, control_number=payment.patient_control_number, lines=lines)


def test_the_samples_are_there() -> None:
    assert len(SAMPLE_835S) >= 4


@pytest.mark.parametrize("sample", SAMPLE_835S, ids=lambda p: p.name)
def test_every_sample_835_posts_and_balances_to_the_file(
    org: Any, biller: Any, sample: Path
) -> None:
    raw = sample.read_bytes()
    claims = {
        p.patient_control_number: claims_for(org, p)
        for t in read_era_bytes(raw).transactions
        for p in t.claims
    }
    report = posting.era_import(user=biller, raw=raw, filename=sample.name)
    assert not report.unmatched
    assert len(report.posted) == len(claims)
    for payment in (p for t in read_era_bytes(raw).transactions for p in t.claims):
        claim = claims[payment.patient_control_number]
        paid = -ledger_sum(claim=claim, kind=LedgerKind.PAYER_PAYMENT)
        assert paid == payment.paid
        # What is left is what the payer says the patient owes (CLP05): nothing more, nothing less.
        assert ledger_sum(claim=claim) == payment.patient_responsibility
        assert ledger_sum(claim=claim, responsibility="patient") == payment.patient_responsibility
        assert ledger_sum(claim=claim, responsibility="payer") == ZERO
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PAID
        assert claim.payer_claim_number == (payment.payer_claim_number or "")


def test_every_claim_line_reconciles_charge_payments_adjustments_and_balance(
    org: Any, biller: Any
) -> None:
    raw = (SAMPLES_835 / "lfh__managed-care.patched.835").read_bytes()
    first = make_claim(
        organization=org,
        control_number="5554555444",
        lines=[("99211", "800.00", dt.date(2002, 3, 1))],
    )
    make_claim(
        organization=org,
        control_number="8765432112",
        lines=[("93555", "1200.00", dt.date(2002, 3, 10))],
    )
    posting.era_import(user=biller, raw=raw, filename="mc.835")
    line = first.lines.get()
    # From the file: SVC03 500.00 less the claim-level CO A2 50.00 is what was paid on the line;
    # CO A2 50.00 is the write-down; PR 1 300.00 stays as the patient's balance.
    paid = -ledger_sum(claim_line=line, kind=LedgerKind.PAYER_PAYMENT)
    adjusted = -ledger_sum(claim_line=line, kind=LedgerKind.ADJUSTMENT)
    balance = ledger_sum(claim_line=line)
    assert (paid, adjusted, balance) == (Decimal("450.00"), Decimal("50.00"), Decimal("300.00"))
    assert line.amount == paid + adjusted + balance


def test_a_second_import_of_the_same_file_posts_nothing_and_says_when_and_by_whom(
    org: Any, biller: Any
) -> None:
    raw = (SAMPLES_835 / "lfh__managed-care.patched.835").read_bytes()
    make_claim(
        organization=org,
        control_number="5554555444",
        lines=[("99211", "800.00", dt.date(2002, 3, 1))],
    )
    make_claim(
        organization=org,
        control_number="8765432112",
        lines=[("93555", "1200.00", dt.date(2002, 3, 10))],
    )
    with time_machine.travel(dt.datetime(2026, 4, 2, 15, tzinfo=dt.UTC), tick=False):
        posting.era_import(user=biller, raw=raw, filename="mc.835")
    counts = (
        LedgerEntry.objects.count(),
        RemittanceClaim.objects.count(),
        Remittance.objects.count(),
    )
    total = ledger_sum()
    other_biller = f.staff_user(organization=org, role="biller")
    again = posting.era_import(user=other_biller, raw=raw, filename="copy-of-mc.835")
    assert again.nothing_posted
    assert len(again.already_imported) == 1
    message = again.already_imported[0]
    assert "nothing posted" in message and biller.username in message
    assert "already posted on 2026-04-02" in message
    assert (
        LedgerEntry.objects.count(),
        RemittanceClaim.objects.count(),
        Remittance.objects.count(),
    ) == counts
    assert ledger_sum() == total
    # And the lines still reconcile after two imports.
    for claim in Claim.objects.filter(organization=org):
        assert (
            ledger_sum(claim=claim)
            == {"5554555444": Decimal("300.00"), "8765432112": Decimal("600.00")}[
                claim.patient_control_number
            ]
        )


CLAIM_OK = "CLP*OK1*1*150.00*100.00*20.00*12*PCN1~SVC*HC:97530:GO*150.00*100.00**2~DTM*472*20260312~CAS*CO*45*30.00~CAS*PR*2*20.00"


def test_a_file_whose_second_transaction_is_broken_posts_nothing(org: Any, biller: Any) -> None:
    make_claim(organization=org, control_number="OK1")
    good = era([CLAIM_OK], control="0001", payment="100.00")
    broken = era(["CLP*OK1*1*150.00*12x.00*0*12*PCN2"], control="0002", payment="0.00")
    # Two transaction sets in one interchange: splice the second ST..SE into the first file.
    first_st = good[: good.index("GE*")]
    second = broken[broken.index("ST*835") : broken.index("GE*")]
    raw = (first_st + second + "GE*2*1~IEA*1*000000001~").encode()
    with pytest.raises(posting.EraImportError, match="segment"):
        posting.era_import(user=biller, raw=raw, filename="two.835")
    assert not Remittance.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_the_hand_made_file_reads_and_posts(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="OK1")
    report = posting.era_import(
        user=biller, raw=era([CLAIM_OK], payment="100.00").encode(), filename="ok.835"
    )
    assert [rc.claim for rc in report.posted] == [claim]
    assert report.warnings == []
    assert ledger_sum(claim=claim) == Decimal("20.00")
    assert ledger_sum(claim=claim, kind=LedgerKind.CHARGE) == Decimal("150.00")


def test_a_charge_already_on_the_ledger_is_not_posted_again(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="OK1")
    line = claim.lines.get()
    LedgerEntry.objects.create(
        organization=org,
        patient=claim.patient,
        claim=claim,
        claim_line=line,
        kind=LedgerKind.CHARGE,
        amount=line.amount,
        posted_on=line.date_of_service,
    )
    posting.era_import(
        user=biller, raw=era([CLAIM_OK], payment="100.00").encode(), filename="ok.835"
    )
    assert LedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert ledger_sum(claim=claim) == Decimal("20.00")


def test_an_unknown_control_number_waits_in_the_unmatched_queue_and_posts_when_matched(
    org: Any, biller: Any
) -> None:
    report = posting.era_import(
        user=biller, raw=era([CLAIM_OK], payment="100.00").encode(), filename="ok.835"
    )
    assert [rc.patient_control_number for rc in report.unmatched] == ["OK1"]
    assert not LedgerEntry.objects.exists()
    rc = RemittanceClaim.objects.get(claim__isnull=True)
    claim = make_claim(organization=org, control_number="OK1-CORRECTED")
    posting.remittance_claim_match(user=biller, remittance_claim=rc, claim=claim)
    rc.refresh_from_db()
    assert rc.claim == claim
    assert ledger_sum(claim=claim) == Decimal("20.00")
    assert rc.services.get().claim_line == claim.lines.get()
    with pytest.raises(posting.ValidationFailed):
        posting.remittance_claim_match(user=biller, remittance_claim=rc, claim=claim)


def test_a_remittance_never_posts_to_another_organizations_claim_with_the_same_number(
    org: Any, biller: Any
) -> None:
    other = f.OrganizationFactory()
    theirs = make_claim(organization=other, control_number="OK1")
    report = posting.era_import(
        user=biller, raw=era([CLAIM_OK], payment="100.00").encode(), filename="ok.835"
    )
    assert len(report.unmatched) == 1
    assert not LedgerEntry.objects.filter(claim=theirs).exists()
    theirs.refresh_from_db()
    assert theirs.status == ClaimStatus.SUBMITTED
    rc = RemittanceClaim.objects.get()
    with pytest.raises(posting.ValidationFailed):
        posting.remittance_claim_match(user=biller, remittance_claim=rc, claim=theirs)
    assert not LedgerEntry.objects.filter(claim=theirs).exists()


def test_the_same_file_imported_by_two_organizations_posts_for_each(org: Any, biller: Any) -> None:
    other = f.OrganizationFactory()
    mine = make_claim(organization=org, control_number="OK1")
    theirs = make_claim(organization=other, control_number="OK1")
    raw = era([CLAIM_OK], payment="100.00").encode()
    posting.era_import(user=biller, raw=raw, filename="ok.835")
    posting.era_import(
        user=f.staff_user(organization=other, role="biller"), raw=raw, filename="ok.835"
    )
    assert ledger_sum(claim=mine) == ledger_sum(claim=theirs) == Decimal("20.00")


def test_provider_adjustments_are_recorded(org: Any, biller: Any) -> None:
    raw = (SAMPLES_835 / "lfh__demo.835").read_bytes()
    posting.era_import(user=biller, raw=raw, filename="demo.835")
    assert Remittance.objects.get().provider_adjustments == [{"reason": "CV", "amount": "-1.27"}]


def test_a_role_without_billing_may_not_import(org: Any) -> None:
    from django.core.exceptions import PermissionDenied

    therapist = f.staff_user(organization=org, role="OT")
    with pytest.raises(PermissionDenied):
        posting.era_import(user=therapist, raw=b"", filename="x.835")


def test_a_reversal_takes_the_payment_back_and_reopens_the_claim(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="OK1")
    posting.era_import(
        user=biller, raw=era([CLAIM_OK], payment="100.00").encode(), filename="ok.835"
    )
    reversal = "CLP*OK1*22*-150.00*-100.00*-20.00*12*PCN1~SVC*HC:97530:GO*-150.00*-100.00**2~DTM*472*20260312~CAS*CO*45*-30.00~CAS*PR*2*-20.00"
    posting.era_import(
        user=biller,
        raw=era([reversal], control="0009", payment="-100.00").encode(),
        filename="rev.835",
    )
    assert ledger_sum(claim=claim) == Decimal("150.00")
    assert ledger_sum(claim=claim, kind=LedgerKind.PAYER_PAYMENT) == ZERO
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert not Denial.objects.exists()


@pytest.mark.parametrize(
    ("amount", "weights", "shares"),
    [
        ("100.00", ["1", "1", "1"], ["33.33", "33.33", "33.34"]),
        ("0.01", ["5", "5"], ["0.00", "0.01"]),
        ("50.00", ["0", "0"], ["25.00", "25.00"]),
        ("-10.00", ["3", "1"], ["-7.50", "-2.50"]),
        # Weights of mixed signs count by size: no share is larger than the amount.
        ("100.00", ["150.00", "-149.00"], ["50.17", "49.83"]),
    ],
)
def test_spreading_keeps_every_cent(amount: str, weights: list[str], shares: list[str]) -> None:
    result = posting_lines.spread(Decimal(amount), [Decimal(w) for w in weights])
    assert result == [Decimal(s) for s in shares]
    assert sum(result) == Decimal(amount)
