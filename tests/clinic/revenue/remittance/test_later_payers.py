"""Secondary and tertiary payers, and Medicare crossovers: the patient owes, to the cent, what
remains after every payer, on the balance, the statement and A/R alike.

The 835s are written as payers send them: the primary's contractual write-down (CO 45) and the
patient's coinsurance (PR 2); the later payer's answer restating the prior adjudication (OA 23
for what the prior payer paid, CO 45 again) beside its own payment and any PR it leaves; a
crossover (CLP02 19, NM1*TT, MOA with MA18) and the supplemental payer's answer under the
primary's CLP01.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from otclinic.clinic.revenue import claim_corrections
from otclinic.clinic.revenue.aging import PATIENT_ROW, aging_report
from otclinic.clinic.revenue.export import claims_export
from otclinic.clinic.revenue.models import Claim, ClaimStatus, LedgerEntry, RemittanceClaim
from otclinic.clinic.revenue.patient_payments import patient_payment_take
from otclinic.clinic.revenue.posting import era_import
from otclinic.clinic.revenue.statements import patient_balance, statement_for
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import era, make_claim

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2026, 11, 12)
AS_OF = dt.date(2026, 12, 3)


def _post(biller: Any, clp: str, *, control: str, payer: str, paid: str) -> Any:
    raw = era([clp], control=control, payment=paid, payer=payer)
    return era_import(user=biller, raw=raw.encode(), filename=f"{control}.835")


def _primary(org: Any) -> tuple[Claim, Any]:
    medicare = f.PayerFactory(organization=org, name="MEDICARE PART B", plan_kind="medicare_part_b")
    coverage = f.CoverageFactory(patient__organization=org, payer=medicare, priority="primary")
    claim = make_claim(organization=org, coverage=coverage, lines=[("97530", "150.00", DAY)])
    return claim, coverage.patient


def _coverage(org: Any, patient: Any, name: str, priority: str, kind: str = "commercial") -> Any:
    payer = f.PayerFactory(organization=org, name=name, plan_kind=kind)
    return f.CoverageFactory(patient=patient, payer=payer, priority=priority)


def _medicare_paid(biller: Any, claim: Claim, *, status: str = "1", extra: str = "") -> Any:
    """Allowed 120.00: Medicare pays 80% (96.00), the patient's coinsurance is 24.00 (PR 2),
    and 30.00 is written down (CO 45)."""
    clp = (
        f"CLP*{claim.patient_control_number}*{status}*150.00*96.00*24.00*MB*MCR0001~{extra}"
        f"SVC*HC:97530:GO*150.00*96.00**1~DTM*472*{DAY:%Y%m%d}~CAS*CO*45*30.00~CAS*PR*2*24.00"
    )
    return _post(biller, clp, control="0001", payer="MEDICARE PART B", paid="96.00")


def _great_valley_paid(biller: Any, secondary: Claim) -> None:
    """The secondary pays 20.00 and leaves 4.00 to the patient (PR 3); OA 23 and CO 45 restate
    Medicare's adjudication. 20 + 96 + 30 + 4 = 150."""
    _post(
        biller,
        f"CLP*{secondary.patient_control_number}*2*150.00*20.00*4.00*12*GV0001~"
        f"SVC*HC:97530:GO*150.00*20.00**1~DTM*472*{DAY:%Y%m%d}~"
        "CAS*OA*23*96.00~CAS*CO*45*30.00~CAS*PR*3*4.00",
        control="0002",
        payer="GREAT VALLEY HEALTH",
        paid="20.00",
    )


def _medicaid_paid(biller: Any, secondary: Claim) -> None:
    """Medicaid allows 106.00 in all: it pays 10.00 and the provider may not bill the patient
    the rest (CO 45 44.00, of which 14.00 was still open after Medicare)."""
    _post(
        biller,
        f"CLP*{secondary.patient_control_number}*2*150.00*10.00**MC*MCD0001~"
        f"SVC*HC:97530:GO*150.00*10.00**1~DTM*472*{DAY:%Y%m%d}~"
        "CAS*OA*23*96.00~CAS*CO*45*44.00",
        control="0002",
        payer="STATE MEDICAID",
        paid="10.00",
    )


def _aging(org: Any) -> dict[str, Decimal]:
    report = aging_report(organization_id=org.pk, as_of=AS_OF)
    return {row.payer: row.total for row in report.rows}


def _ledger_total(org: Any) -> Decimal:
    return sum((e.amount for e in LedgerEntry.objects.filter(organization=org)), D("0.00"))


def test_the_secondary_payment_leaves_the_patient_only_what_it_did_not_pay(
    org: Any, biller: Any
) -> None:
    claim, patient = _primary(org)
    _coverage(org, patient, "GREAT VALLEY HEALTH", "secondary")
    _medicare_paid(biller, claim)
    assert patient_balance(patient=patient) == D("24.00")

    secondary = claim_corrections.claim_create_secondary(claim=claim, user=biller)
    # Billed to the secondary: the patient owes nothing while that payer decides.
    assert patient_balance(patient=patient) == D("0.00")
    assert _aging(org) == {"GREAT VALLEY HEALTH": D("24.00")}

    _great_valley_paid(biller, secondary)
    assert patient_balance(patient=patient) == D("4.00")
    assert _aging(org) == {PATIENT_ROW: D("4.00")}
    assert _ledger_total(org) == D("4.00")
    statement = statement_for(patient=patient, statement_date=AS_OF)
    assert statement.balance == D("4.00")
    secondary.refresh_from_db()
    assert secondary.status == ClaimStatus.PAID


def test_a_medicaid_secondary_writes_down_only_what_it_still_held(org: Any, biller: Any) -> None:
    claim, patient = _primary(org)
    _coverage(org, patient, "STATE MEDICAID", "secondary", kind="medicaid")
    _medicare_paid(biller, claim)
    secondary = claim_corrections.claim_create_secondary(claim=claim, user=biller)
    _medicaid_paid(biller, secondary)
    assert patient_balance(patient=patient) == D("0.00")
    assert _aging(org) == {}
    assert _ledger_total(org) == D("0.00")
    write_downs = LedgerEntry.objects.filter(claim=secondary, kind="adjustment")
    assert [e.amount for e in write_downs] == [D("-14.00")]


def test_the_tertiary_payer_takes_what_the_secondary_left(org: Any, biller: Any) -> None:
    claim, patient = _primary(org)
    _coverage(org, patient, "GREAT VALLEY HEALTH", "secondary")
    _coverage(org, patient, "VETERANS SUPPLEMENT", "tertiary")
    _medicare_paid(biller, claim)
    secondary = claim_corrections.claim_create_secondary(claim=claim, user=biller)
    _great_valley_paid(biller, secondary)
    secondary.refresh_from_db()
    tertiary = claim_corrections.claim_create_secondary(claim=secondary, user=biller)
    assert tertiary.coverage.priority == "tertiary"
    assert patient_balance(patient=patient) == D("0.00")
    assert _aging(org) == {"VETERANS SUPPLEMENT": D("4.00")}
    _post(
        biller,
        f"CLP*{tertiary.patient_control_number}*3*150.00*3.50*0.50*12*VS0001~"
        f"SVC*HC:97530:GO*150.00*3.50**1~DTM*472*{DAY:%Y%m%d}~"
        "CAS*OA*23*116.00~CAS*CO*45*30.00~CAS*PR*1*0.50",
        control="0003",
        payer="VETERANS SUPPLEMENT",
        paid="3.50",
    )
    assert patient_balance(patient=patient) == D("0.50")
    assert _aging(org) == {PATIENT_ROW: D("0.50")}
    assert _ledger_total(org) == D("0.50")


def test_a_copay_taken_at_the_desk_is_not_billed_to_the_secondary(org: Any, biller: Any) -> None:
    claim, patient = _primary(org)
    _coverage(org, patient, "GREAT VALLEY HEALTH", "secondary")
    _medicare_paid(biller, claim)
    patient_payment_take(
        user=biller,
        patient=patient,
        amount=D("10.00"),
        method="cash",
        reference="",
        request_token=uuid.UUID("5b0e7e0c-8f0e-4d4e-9d8c-2b9c35c8e2a1"),
    )
    claim_corrections.claim_create_secondary(claim=claim, user=biller)
    assert _aging(org) == {"GREAT VALLEY HEALTH": D("14.00")}
    assert patient_balance(patient=patient) == D("0.00")


MEDIGAP_TT = "NM1*TT*2*AARP MEDIGAP*****PI*MG00123~MOA***MA18~"


def test_a_crossover_is_recorded_and_its_claim_is_never_exported(org: Any, biller: Any) -> None:
    claim, patient = _primary(org)
    _coverage(org, patient, "AARP MEDIGAP", "secondary")
    report = _medicare_paid(biller, claim, status="19", extra=MEDIGAP_TT)
    claim.refresh_from_db()
    assert (claim.crossed_over_to, claim.crossover_payer_id) == ("AARP MEDIGAP", "MG00123")
    assert claim.status == ClaimStatus.PAID
    [crossover] = claim.secondary_claims.all()
    assert crossover.status == ClaimStatus.SUBMITTED
    assert crossover.coverage.payer.name == "AARP MEDIGAP"
    # Not billed twice: the biller's "make the secondary claim" finds it; nothing is exported.
    assert claim_corrections.claim_create_secondary(claim=claim, user=biller) == crossover
    assert claims_export(user=biller) == []
    assert patient_balance(patient=patient) == D("0.00")
    assert _aging(org) == {"AARP MEDIGAP": D("24.00")}
    assert not report.unmatched

    # The Medigap plan answers under Medicare's CLP01, as the secondary (CLP02 2).
    medigap = _post(
        biller,
        f"CLP*{claim.patient_control_number}*2*150.00*24.00**MB*MG0001~"
        f"SVC*HC:97530:GO*150.00*24.00**1~DTM*472*{DAY:%Y%m%d}~"
        "CAS*OA*23*96.00~CAS*CO*45*30.00",
        control="0002",
        payer="AARP MEDIGAP",
        paid="24.00",
    )
    [answer] = medigap.posted
    assert answer.claim == crossover
    assert _aging(org) == {}
    assert _ledger_total(org) == D("0.00")
    crossover.refresh_from_db()
    assert crossover.status == ClaimStatus.PAID


def test_a_crossover_without_secondary_coverage_on_file_says_so_and_waits(
    org: Any, biller: Any
) -> None:
    claim, patient = _primary(org)
    report = _medicare_paid(biller, claim, status="19", extra=MEDIGAP_TT)
    assert any("forwarded to AARP MEDIGAP" in w for w in report.warnings)
    assert patient_balance(patient=patient) == D("24.00")
    medigap = _post(
        biller,
        f"CLP*{claim.patient_control_number}*2*150.00*24.00**MB*MG0001~"
        f"SVC*HC:97530:GO*150.00*24.00**1~DTM*472*{DAY:%Y%m%d}~CAS*OA*23*126.00",
        control="0002",
        payer="AARP MEDIGAP",
        paid="24.00",
    )
    assert [rc.claim for rc in medigap.unmatched] == [None]
    assert any("no claim to it was made" in w for w in medigap.warnings)
    _coverage(org, patient, "AARP MEDIGAP", "secondary")
    made = claim_corrections.claim_create_secondary(claim=claim, user=biller)
    assert made.status == ClaimStatus.SUBMITTED  # the payer has it: never exported
    assert RemittanceClaim.objects.filter(claim=claim).count() == 1


def test_a_payer_answering_as_secondary_on_a_claim_never_forwarded_posts_on_it(
    org: Any, biller: Any
) -> None:
    claim, patient = _primary(org)
    _post(
        biller,
        f"CLP*{claim.patient_control_number}*2*150.00*100.00*50.00*12*X1~"
        f"SVC*HC:97530:GO*150.00*100.00**1~DTM*472*{DAY:%Y%m%d}~CAS*PR*3*50.00",
        control="0001",
        payer="MEDICARE PART B",
        paid="100.00",
    )
    assert patient_balance(patient=patient) == D("50.00")


def test_the_biller_sees_crossed_over_to_the_payer_on_the_claim_and_the_list(
    org: Any, biller: Any, client: Any
) -> None:
    claim, patient = _primary(org)
    _coverage(org, patient, "AARP MEDIGAP", "secondary")
    _medicare_paid(biller, claim, status="19", extra=MEDIGAP_TT)
    [crossover] = claim.secondary_claims.all()
    client.force_login(biller)
    detail = client.get(f"/billing/claims/{claim.pk}/").content.decode()
    assert "Crossed over to AARP MEDIGAP" in detail
    assert crossover.patient_control_number in detail
    listing = client.get("/billing/claims/").content.decode()
    assert "crossed over to AARP MEDIGAP" in listing
    page = client.get(f"/billing/claims/{crossover.pk}/").content.decode()
    assert "received by crossover, not exported" in page


def test_a_secondary_claim_made_without_the_share_moved_gets_it_when_its_835_posts(
    org: Any, biller: Any
) -> None:
    claim, patient = _primary(org)
    coverage = _coverage(org, patient, "STATE MEDICAID", "secondary", kind="medicaid")
    _medicare_paid(biller, claim)
    # A secondary claim written straight to the database, as before the share was moved when
    # the claim was made: the share moves in the same posting, and bounds the write-downs.
    secondary = make_claim(
        organization=org,
        coverage=coverage,
        primary_claim=claim,
        episode=claim.episode,
        lines=[("97530", "150.00", DAY)],
    )
    assert patient_balance(patient=patient) == D("24.00")
    _medicaid_paid(biller, secondary)
    assert patient_balance(patient=patient) == D("0.00")
    assert _aging(org) == {}
    write_downs = LedgerEntry.objects.filter(claim=secondary, kind="adjustment")
    assert [e.amount for e in write_downs] == [D("-14.00")]
