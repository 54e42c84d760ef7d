"""Posting service lines a payer sent without a procedure code: matched by charge and date, or
left on the claim with the reason in the unmatched queue; the money reconciles either way."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.revenue import posting
from otclinic.clinic.revenue.models import LedgerKind, RemittanceService
from tests.clinic.revenue.remittance.helpers import era, ledger_sum, make_claim

pytestmark = pytest.mark.django_db

ON = dt.date(2005, 1, 20)
# LinuxForHealth x12's tertiary-payment shape: the procedure after an element separator, so
# SVC03 and SVC04 hold the charge and the payment.
TERTIARY = (
    "CLP*T1*3*1766.50*187.50**12*50580155533~DTM*232*20050120~"
    "SVC*HC*24599.00*1766.50*187.50**1~DTM*472*20050120~CAS*OA*23*1579.00"
)
ZERO = Decimal("0.00")


def test_a_line_without_procedure_takes_the_claim_line_with_its_charge_and_reconciles(
    org: Any, biller: Any
) -> None:
    claim = make_claim(organization=org, control_number="T1", lines=[("24599", "1766.50", ON)])
    line = claim.lines.get()

    report = posting.era_import(
        user=biller, raw=era([TERTIARY], payment="187.50").encode(), filename="t.835"
    )

    assert [rc.claim for rc in report.posted] == [claim]
    assert any("SVC01" in w and "no procedure code" in w for w in report.warnings)
    assert RemittanceService.objects.get().claim_line == line
    assert -ledger_sum(claim_line=line, kind=LedgerKind.PAYER_PAYMENT) == Decimal("187.50")
    assert -ledger_sum(claim_line=line, kind=LedgerKind.ADJUSTMENT) == Decimal("1579.00")
    assert ledger_sum(claim_line=line) == ZERO
    # BPR02 = the claims paid (CLP04) less provider adjustments: 187.50 on the ledger, once.
    (remittance,) = report.remittances
    assert -ledger_sum(remittance=remittance, kind=LedgerKind.PAYER_PAYMENT) == (
        remittance.payment_amount
    )


def test_a_line_without_procedure_that_no_single_line_matches_waits_with_the_reason(
    org: Any, biller: Any, client: Client
) -> None:
    # Two claim lines, neither charged 1766.50: nothing says which one the payer paid.
    claim = make_claim(
        organization=org,
        control_number="T1",
        lines=[("97530", "900.00", ON), ("97110", "866.50", ON)],
    )

    report = posting.era_import(
        user=biller, raw=era([TERTIARY], payment="187.50").encode(), filename="t.835"
    )

    service = RemittanceService.objects.get()
    assert service.claim_line is None
    assert service.unmatched_reason == (
        "the payer sent no procedure code, and no single claim line charged 1766.50 on 2005-01-20"
    )
    assert any(
        "claim T1 service line 1: the payer sent no procedure code" in w for w in report.warnings
    )
    # The money is on the claim, not on a line, and the claim reconciles: charged 1766.50,
    # paid 187.50, adjusted 1579.00.
    assert -ledger_sum(claim=claim, kind=LedgerKind.PAYER_PAYMENT) == Decimal("187.50")
    assert ledger_sum(claim=claim) == ZERO
    client.force_login(biller)
    page = client.get("/billing/remittances/unmatched/").content.decode()
    assert "no single claim line charged 1766.50" in page and "none sent" in page


def test_coded_lines_keep_their_lines_and_the_one_without_a_code_takes_what_its_charge_says(
    org: Any, biller: Any
) -> None:
    claim = make_claim(
        organization=org,
        control_number="C1",
        lines=[("97110", "100.00", ON), ("97530", "150.00", ON)],
    )
    # The first SVC has no code and the charge of the 97530 line; the second is the 97110 line.
    clp = (
        "CLP*C1*1*250.00*200.00*0*12*X~"
        "SVC*HC*150.00*120.00~DTM*472*20050120~CAS*CO*45*30.00~"
        "SVC*HC:97110*100.00*80.00~DTM*472*20050120~CAS*CO*45*20.00"
    )

    posting.era_import(user=biller, raw=era([clp], payment="200.00").encode(), filename="c.835")

    by_code = {s.claim_line.code: s for s in RemittanceService.objects.select_related("claim_line")}
    assert (by_code["97530"].procedure, by_code["97530"].paid) == ("", Decimal("120.00"))
    assert (by_code["97110"].procedure, by_code["97110"].paid) == ("97110", Decimal("80.00"))
    assert ledger_sum(claim=claim) == ZERO
