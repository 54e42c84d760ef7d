"""Denials (creation, grouping, working them), A/R aging that reconciles, patient statements."""

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue import aging, denials, posting, statements
from otclinic.clinic.revenue.denial_codes import CARC, DENYING_CARCS, NextAction, denies
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimStatus,
    Denial,
    DenialStatus,
    LedgerEntry,
    LedgerKind,
)
from otclinic.clinic.revenue.selectors_remittance import (
    denial_groups_for_user,
    denials_in_group_for_user,
)
from tests import clock
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import REPO, era, ledger_sum, make_claim

pytestmark = pytest.mark.django_db

D1 = dt.date(2026, 3, 12)
DENIED_97 = (
    "CLP*{pcn}*4*150.00*0*0*12*PAYER{pcn}~SVC*HC:97530:GO*150.00*0**2~DTM*472*20260312~"
    "CAS*CO*97*150.00~LQ*HE*N362"
)
DENIED_119 = (
    "CLP*{pcn}*1*150.00*0*0*12*PAYER{pcn}~SVC*HC:97530*150.00*0~DTM*472*20260312~CAS*CO*119*150.00"
)
PAID_WITH_COPAY = (
    "CLP*{pcn}*1*150.00*100.00*20.00*12*PAYER{pcn}~SVC*HC:97530*150.00*100.00~DTM*472*20260312~"
    "CAS*CO*45*30.00~CAS*PR*3*20.00"
)


def post(user: Any, *claims: str, control: str = "0001") -> posting.ImportReport:
    return posting.era_import(
        user=user, raw=era(list(claims), control=control).encode(), filename="t.835"
    )


def test_a_zero_paid_line_with_a_denying_carc_makes_a_denial_and_stays_open(
    org: Any, biller: Any
) -> None:
    claim = make_claim(organization=org, control_number="D1")
    report = post(biller, DENIED_97.format(pcn="D1"))
    denial = Denial.objects.get()
    assert report.denials == [denial]
    assert (denial.group_code, denial.reason_code, denial.amount) == ("CO", "97", Decimal("150.00"))
    assert denial.remark_codes == ["N362"]
    assert denial.engine_rule_id == "ncci.ptp"
    assert denial.claim_line == claim.lines.get()
    # It keeps the payer the claim was billed to: the queue groups by it without a join.
    assert denial.payer_id == claim.coverage.payer_id
    # The money stays open on the payer until someone decides.
    assert ledger_sum(claim=claim, responsibility="payer") == Decimal("150.00")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DENIED


def test_a_paid_line_with_an_ordinary_copay_makes_no_denial(org: Any, biller: Any) -> None:
    make_claim(organization=org, control_number="P1")
    post(biller, PAID_WITH_COPAY.format(pcn="P1"))
    assert not Denial.objects.exists()


def test_a_status_1_claim_paid_nothing_with_a_denial_becomes_denied(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="D2")
    post(biller, DENIED_119.format(pcn="D2"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DENIED
    assert Denial.objects.get().engine_rule_id == "threshold.kx"


def test_the_queue_groups_open_denials_by_payer_and_carc_with_explanation_and_action(
    org: Any, biller: Any
) -> None:
    alpha = f.PayerFactory(organization=org, name="Alpha Health")
    beta = f.PayerFactory(organization=org, name="Beta Care")
    for pcn, payer in (("A1", alpha), ("A2", alpha), ("A3", alpha), ("B1", beta)):
        coverage = f.CoverageFactory(patient__organization=org, payer=payer)
        make_claim(organization=org, control_number=pcn, coverage=coverage)
    post(
        biller,
        DENIED_97.format(pcn="A1"),
        DENIED_97.format(pcn="A2"),
        DENIED_119.format(pcn="A3"),
        DENIED_97.format(pcn="B1"),
    )
    groups = denial_groups_for_user(user=biller)
    assert [(g.payer_name, g.reason_code, g.count, g.total) for g in groups] == [
        ("Alpha Health", "97", 2, Decimal("300.00")),
        ("Alpha Health", "119", 1, Decimal("150.00")),
        ("Beta Care", "97", 1, Decimal("150.00")),
    ]
    assert groups[0].carc.next_action == NextAction.CORRECT_AND_RESUBMIT
    assert "bundl" in groups[0].carc.explanation
    assert [code for code, _ in groups[0].remarks] == ["N362"]
    assert groups[0].remarks[0][1]
    assert groups[1].remarks == []
    shown = denials_in_group_for_user(user=biller, group=groups[0])
    assert sorted(d.claim.patient_control_number for d in shown) == ["A1", "A2"]


def test_a_group_counts_every_denial_whatever_its_rarcs_and_lists_all_their_rarcs(
    org: Any, biller: Any
) -> None:
    alpha = f.PayerFactory(organization=org, name="Alpha Health")
    for pcn in ("A1", "A2", "A3"):
        coverage = f.CoverageFactory(patient__organization=org, payer=alpha)
        make_claim(organization=org, control_number=pcn, coverage=coverage)
    post(biller, *(DENIED_97.format(pcn=pcn) for pcn in ("A1", "A2", "A3")))
    remarks = {"A1": ["N362"], "A2": ["M15", "N362"], "A3": []}
    for pcn, codes in remarks.items():
        Denial.objects.filter(claim__patient_control_number=pcn).update(remark_codes=codes)
    [group] = denial_groups_for_user(user=biller)
    assert (group.count, group.total) == (3, Decimal("450.00"))
    assert [code for code, _ in group.remarks] == ["M15", "N362"]


def test_writing_off_a_denial_closes_the_line_and_cannot_be_done_twice(
    org: Any, biller: Any
) -> None:
    claim = make_claim(organization=org, control_number="D1")
    post(biller, DENIED_97.format(pcn="D1"))
    denial = denials.denial_resolve(
        user=biller, denial=Denial.objects.get(), action="write_off", note="bundled, not billable"
    )
    assert denial.status == DenialStatus.WRITTEN_OFF
    assert "bundled, not billable" in denial.resolution_note
    assert ledger_sum(claim=claim) == Decimal("0.00")
    assert ledger_sum(claim=claim, kind=LedgerKind.WRITE_OFF) == Decimal("-150.00")
    with pytest.raises(ValidationFailed):
        denials.denial_resolve(user=biller, denial=denial, action="bill_patient")
    assert ledger_sum(claim=claim) == Decimal("0.00")
    assert denial_groups_for_user(user=biller) == []


def test_billing_the_patient_moves_the_denied_amount_to_the_patient(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="D1")
    post(biller, DENIED_97.format(pcn="D1"))
    denials.denial_resolve(user=biller, denial=Denial.objects.get(), action="bill_patient")
    assert ledger_sum(claim=claim, responsibility="patient") == Decimal("150.00")
    assert ledger_sum(claim=claim, responsibility="payer") == Decimal("0.00")
    assert statements.patient_balance(patient=claim.patient) == Decimal("150.00")


def test_an_appeal_keeps_the_money_open_and_marks_the_claim(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org, control_number="D1")
    post(biller, DENIED_97.format(pcn="D1"))
    denials.denial_resolve(
        user=biller, denial=Denial.objects.get(), action="appealed", note="ref 42"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPEALED
    assert ledger_sum(claim=claim) == Decimal("150.00")
    # Still in the queue until the appeal is decided.
    assert len(denial_groups_for_user(user=biller)) == 1


def test_a_therapist_may_not_work_denials(org: Any, biller: Any) -> None:
    from django.core.exceptions import PermissionDenied

    make_claim(organization=org, control_number="D1")
    post(biller, DENIED_97.format(pcn="D1"))
    with pytest.raises(PermissionDenied):
        denials.denial_resolve(
            user=f.staff_user(organization=org, role="OT"),
            denial=Denial.objects.get(),
            action="write_off",
        )


def test_every_denying_carc_has_an_action_and_every_named_rule_exists() -> None:
    sources = "".join(
        p.read_text()
        for p in (REPO / "src" / "otclinic").rglob("*.py")
        if "denial_codes" not in p.name
    )
    for code in (
        "4",
        "16",
        "18",
        "29",
        "50",
        "96",
        "97",
        "119",
        "151",
        "197",
        "198",
        "204",
        "236",
        "B7",
    ):
        assert code in DENYING_CARCS
        rule = CARC[code].engine_rule_id
        if rule:
            assert f'"{rule}"' in sources, f"CARC {code} names {rule}, which no check reports"
    assert denies("CO", "97") and not denies("CO", "45") and not denies("PI", "97")


# A/R aging -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(0, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3), (120, 3), (121, 4)],
)
def test_bucket_edges(days: int, bucket: int) -> None:
    assert aging.bucket_of(days) == bucket


def test_aging_buckets_by_payer_and_reconcile_to_the_ledger(org: Any, biller: Any) -> None:
    as_of = dt.date(2026, 6, 30)
    old = make_claim(
        organization=org,
        control_number="OLD",
        coverage=f.CoverageFactory(patient__organization=org, payer__name="Old Payer"),
        lines=[("97530", "150.00", dt.date(2026, 1, 2))],
    )
    mid = make_claim(
        organization=org,
        control_number="MID",
        coverage=f.CoverageFactory(patient__organization=org, payer__name="Mid Payer"),
        lines=[("97530", "150.00", dt.date(2026, 5, 15))],
    )
    new = make_claim(
        organization=org,
        control_number="NEW",
        coverage=f.CoverageFactory(patient__organization=org, payer__name="New Payer"),
        lines=[("97110", "90.00", dt.date(2026, 6, 20))],
    )
    with time_machine.travel(dt.datetime(2026, 6, 25, 10, tzinfo=clock.clinic_time_zone())):
        post(biller, PAID_WITH_COPAY.format(pcn="OLD"), DENIED_97.format(pcn="MID"))
        LedgerEntry.objects.create(
            organization=org,
            patient=new.patient,
            claim=new,
            claim_line=new.lines.get(),
            kind=LedgerKind.CHARGE,
            amount=Decimal("90.00"),
            posted_on=dt.date(2026, 6, 20),
        )
        make_claim(organization=f.OrganizationFactory(), control_number="NEW")  # another tenant's
    report = aging.aging_report(organization_id=org.pk, as_of=as_of)
    rows = {r.payer: r.buckets for r in report.rows}
    z = Decimal("0.00")
    assert old.coverage.payer.name not in rows  # paid; only the copay is left
    assert rows[aging.PATIENT_ROW] == [z, z, z, z, Decimal("20.00")]  # 179 days since service
    assert rows[mid.coverage.payer.name] == [z, Decimal("150.00"), z, z, z]  # 46 days
    assert rows[new.coverage.payer.name] == [Decimal("90.00"), z, z, z, z]  # 10 days
    assert report.total == ledger_sum(organization=org) == Decimal("260.00")
    assert sum(report.totals) == report.total


# Statements ----------------------------------------------------------------------------------


def test_the_statement_pdf_lists_the_service_and_the_balance_due(
    org: Any, biller: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    claim = make_claim(organization=org, control_number="P1")
    post(biller, PAID_WITH_COPAY.format(pcn="P1"))
    LedgerEntry.objects.create(
        organization=org,
        patient=claim.patient,
        claim=claim,
        claim_line=claim.lines.get(),
        kind=LedgerKind.PATIENT_PAYMENT,
        amount=Decimal("-5.00"),
        responsibility="patient",
        posted_on=dt.date(2026, 3, 25),
    )
    record = statements.statement_create(user=biller, patient=claim.patient)
    assert record.balance == Decimal("15.00")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(record.file.read())).pages)
    assert "Balance due: $15.00" in text
    assert "97530" in text and "$100.00" in text and "$20.00" in text and "$5.00" in text
    assert re.search(r"[0-9a-f]{64}", record.sha256)


def test_a_patient_with_nothing_owed_gets_a_zero_statement(
    org: Any, biller: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    patient = f.PatientFactory(organization=org)
    record = statements.statement_create(user=biller, patient=patient)
    assert record.balance == Decimal("0.00")
    assert Claim.objects.count() == 0
