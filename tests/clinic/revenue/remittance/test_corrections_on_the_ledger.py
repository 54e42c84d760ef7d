"""Replacement (CLM05-3 7) and void (8) claims on the ledger: a corrected claim never puts the
charges on the ledger twice, and a void takes them off exactly once. The payer's answers are
as payers send them: a reversal of the original (CLP02 22, amounts negated) and the
replacement adjudicated."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from otclinic.clinic.revenue import claim_corrections
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.aging import PATIENT_ROW, aging_report
from otclinic.clinic.revenue.models import Claim, ClaimStatus, LedgerEntry, LedgerKind
from otclinic.clinic.revenue.posting import era_import
from otclinic.clinic.revenue.statements import patient_balance
from tests.clinic.revenue.remittance.helpers import era, make_claim

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2026, 11, 12)
AS_OF = dt.date(2026, 12, 3)
SVC = f"DTM*472*{DAY:%Y%m%d}"


def _post(biller: Any, clps: list[str], *, control: str, paid: str) -> Any:
    raw = era(clps, control=control, payment=paid, payer="MEDICARE PART B")
    return era_import(user=biller, raw=raw.encode(), filename=f"{control}.835")


def _paid_claim(org: Any, biller: Any) -> Claim:
    claim = make_claim(organization=org, lines=[("97530", "150.00", DAY)])
    _post(
        biller,
        [
            f"CLP*{claim.patient_control_number}*1*150.00*96.00*24.00*MB*MCR0001~"
            f"SVC*HC:97530:GO*150.00*96.00**1~{SVC}~CAS*CO*45*30.00~CAS*PR*2*24.00"
        ],
        control="0001",
        paid="96.00",
    )
    claim.refresh_from_db()
    return claim


def _reversal(claim: Claim) -> str:
    """The payer takes back its answer to `claim` (CLP02 22, every amount negated)."""
    return (
        f"CLP*{claim.patient_control_number}*22*-150.00*-96.00*-24.00*MB*MCR0001~"
        f"SVC*HC:97530:GO*-150.00*-96.00**1~{SVC}~CAS*CO*45*-30.00~CAS*PR*2*-24.00"
    )


def _charges(org: Any) -> Decimal:
    rows = LedgerEntry.objects.filter(organization=org, kind=LedgerKind.CHARGE)
    return sum((e.amount for e in rows), D("0.00"))


def _aging(org: Any) -> dict[str, Decimal]:
    return {r.payer: r.total for r in aging_report(organization_id=org.pk, as_of=AS_OF).rows}


def test_a_replacement_claim_moves_the_charges_and_never_doubles_them(
    org: Any, biller: Any
) -> None:
    claim = _paid_claim(org, biller)
    assert _charges(org) == D("150.00")
    replacement = claim_corrections.claim_correct(claim=claim, user=biller)
    assert _charges(org) == D("150.00")
    assert LedgerEntry.objects.filter(claim=replacement, kind=LedgerKind.CHARGE).count() == 1
    assert _aging(org) == {PATIENT_ROW: D("24.00")}  # A/R as before the correction
    replacement.status = ClaimStatus.SUBMITTED
    replacement.save(update_fields=["status"])

    # The payer reverses its answer to the original and adjudicates the replacement.
    _post(
        biller,
        [
            _reversal(claim),
            f"CLP*{replacement.patient_control_number}*1*150.00*100.00*20.00*MB*MCR0002~"
            f"SVC*HC:97530:GO*150.00*100.00**1~{SVC}~CAS*CO*45*30.00~CAS*PR*2*20.00",
        ],
        control="0002",
        paid="4.00",
    )
    assert _charges(org) == D("150.00")
    assert patient_balance(patient=claim.patient) == D("20.00")
    assert _aging(org) == {PATIENT_ROW: D("20.00")}
    original = LedgerEntry.objects.filter(claim=claim)
    assert sum((e.amount for e in original), D("0.00")) == D("0.00")


def test_a_void_takes_the_charges_off_once_and_the_payers_reversal_closes_the_claim(
    org: Any, biller: Any
) -> None:
    claim = _paid_claim(org, biller)
    void = claim_corrections.claim_void(claim=claim, user=biller)
    claim_corrections.claim_void(claim=claim, user=biller)  # again: nothing more comes off
    assert _charges(org) == D("0.00")
    taken_off = LedgerEntry.objects.filter(claim=claim, kind=LedgerKind.CHARGE, amount__lt=0)
    assert [e.amount for e in taken_off] == [D("-150.00")]
    # Until the payer takes its payment back, the payer's 96.00 and the write-downs are a
    # credit on the voided claim.
    assert _aging(org) == {claim.coverage.payer.name: D("-150.00"), PATIENT_ROW: D("24.00")}

    # The payer answers the void claim (its own CLP01) by reversing the payment: it posts on
    # the claim that was voided, and adds no charge.
    reversal = _reversal(claim).replace(claim.patient_control_number, void.patient_control_number)
    _post(biller, [reversal], control="0002", paid="0.00")
    assert _charges(org) == D("0.00")
    assert _aging(org) == {}
    assert patient_balance(patient=claim.patient) == D("0.00")


def test_a_correction_voided_before_it_is_sent_gives_the_charges_back_to_the_original(
    org: Any, biller: Any
) -> None:
    claim = _paid_claim(org, biller)
    replacement = claim_corrections.claim_correct(claim=claim, user=biller)
    svc.claim_set_status(claim=replacement, status=ClaimStatus.VOID, user=biller)
    assert _charges(org) == D("150.00")
    assert sum((e.amount for e in LedgerEntry.objects.filter(claim=replacement)), D(0)) == 0
    assert _aging(org) == {PATIENT_ROW: D("24.00")}
    with pytest.raises(svc.ClaimError):
        svc.claim_set_status(claim=replacement, status=ClaimStatus.VOID, user=biller)
    assert _charges(org) == D("150.00")
