"""The ledger is the truth (issue 13): after any mix of charges, payments, adjustments, refunds,
reversals, corrections and voids, the kept balances equal the ledger's sums, and A/R aging (by
payer and by patient, aged from the date of service or of first submission, today or on a past
day) equals the open balances summed entry by entry."""

import contextlib
import datetime as dt
import itertools
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue import (
    aging,
    claim_corrections,
    claim_ledger,
    claims,
    denials,
    patient_payments,
    posting,
)
from otclinic.clinic.revenue.ledger_check import balances_differ
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimBalance,
    Denial,
    DenialStatus,
    LedgerEntry,
    LedgerKind,
    PatientBalance,
)
from tests import clock
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import era, make_claim

pytestmark = pytest.mark.django_db

Z = Decimal("0.00")
PAID = (
    "CLP*{pcn}*1*150.00*100.00*20.00*12*PAYER{pcn}~SVC*HC:97530*150.00*100.00~DTM*472*{dos}~"
    "CAS*CO*45*30.00~CAS*PR*3*20.00"
)
DENIED = (
    "CLP*{pcn}*4*150.00*0*0*12*PAYER{pcn}~SVC*HC:97530:GO*150.00*0**2~DTM*472*{dos}~"
    "CAS*CO*97*150.00~LQ*HE*N362"
)
REVERSED = (
    "CLP*{pcn}*22*-150.00*-100.00*-20.00*12*PAYER{pcn}~SVC*HC:97530*-150.00*-100.00~"
    "DTM*472*{dos}~CAS*CO*45*-30.00~CAS*PR*3*-20.00"
)
ERAS = {"paid": PAID, "denied": DENIED, "reversed": REVERSED}

claim_ops = st.tuples(
    st.sampled_from(["paid", "denied", "reversed", "write_off", "bill_patient", "void"]),
    st.integers(0, 5),
)
patient_ops = st.tuples(
    st.sampled_from(["pay", "refund", "apply_credit"]),
    st.integers(0, 1),
    st.integers(1, 9000).map(lambda cents: Decimal(cents) / 100),
)
correction_ops = st.tuples(
    st.just("correction"),
    st.integers(0, 5),
    st.integers(-5000, 5000).map(lambda cents: Decimal(cents) / 100),
    st.sampled_from(["payer", "patient"]),
)
new_claims = st.lists(
    st.tuples(st.integers(0, 200), st.one_of(st.none(), st.integers(0, 200))),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    made=new_claims,
    ops=st.lists(st.one_of(claim_ops, patient_ops, correction_ops), max_size=12),
    days_back=st.integers(1, 150),
)
def test_kept_balances_and_aging_always_equal_the_ledger(
    org: Any, biller: Any, made: list[Any], ops: list[Any], days_back: int
) -> None:
    with transaction.atomic():
        world = _World(org, biller, made)
        for op in ops:
            world.apply(op)
        assert balances_differ(organization_id=org.pk) == []
        today = clock.TODAY
        for as_of in (today, today - dt.timedelta(days=days_back)):
            for age_from in aging.AgeFrom:
                for by in aging.AgingBy:
                    report = aging.aging_report(
                        organization_id=org.pk, as_of=as_of, age_from=age_from, by=by
                    )
                    assert _rows(report) == _oracle(org, as_of, age_from, by)
                    assert report.total == sum(report.totals, Z)
        assert aging.aging_report(organization_id=org.pk, as_of=today).total == _sum(
            LedgerEntry.objects.filter(organization=org)
        )
        by_patient = aging.aging_report(
            organization_id=org.pk, as_of=today, by=aging.AgingBy.PATIENT
        )
        patients_owe = _sum(LedgerEntry.objects.filter(organization=org, responsibility="patient"))
        assert by_patient.total == patients_owe
        assert by_patient.total == sum(
            (b.amount for b in PatientBalance.objects.filter(organization=org)), Z
        )
        transaction.set_rollback(True)


class _World:
    """Claims for two patients of two payers, and the services that move their money."""

    def __init__(self, org: Any, biller: Any, made: list[Any]) -> None:
        self.org, self.biller = org, biller
        self.numbers = itertools.count(1)
        payers = [f.PayerFactory(organization=org, name=f"Payer {n}") for n in "AB"]
        self.coverages = [
            f.CoverageFactory(patient__organization=org, payer=payers[n]) for n in range(2)
        ]
        self.episodes = [f.EpisodeFactory(patient=c.patient) for c in self.coverages]
        self.claims = [self._claim(n, *when) for n, when in enumerate(made)]

    def _claim(self, n: int, service_days_ago: int, submitted_days_ago: int | None) -> Claim:
        dos = clock.TODAY - dt.timedelta(days=service_days_ago)
        claim = make_claim(
            organization=self.org,
            control_number=f"P{n}",
            coverage=self.coverages[n % 2],
            episode=self.episodes[n % 2],
            lines=[("97530", "150.00", dos)],
        )
        if submitted_days_ago is not None:
            sent = max(dos, clock.TODAY - dt.timedelta(days=submitted_days_ago))
            Claim.objects.filter(pk=claim.pk).update(first_submitted_on=sent)
        # The charges enter the ledger as claim assembly writes them.
        claim_ledger.charges_on_the_ledger(self.org.pk, [claim], list(claim.lines.all()))
        return claim

    def apply(self, op: tuple[Any, ...]) -> None:
        kind = op[0]
        if kind in ERAS:
            claim = self.claims[op[1] % len(self.claims)]
            dos = claim.first_service_on.strftime("%Y%m%d")
            raw = era(
                [ERAS[kind].format(pcn=claim.patient_control_number, dos=dos)],
                control=f"{next(self.numbers):04d}",
            )
            posting.era_import(user=self.biller, raw=raw.encode(), filename="t.835")
        elif kind in ("write_off", "bill_patient"):
            claim = self.claims[op[1] % len(self.claims)]
            denial = Denial.objects.filter(claim=claim, status=DenialStatus.OPEN).first()
            if denial is not None:
                denials.denial_resolve(user=self.biller, denial=denial, action=kind)
        elif kind == "void":
            self._void(self.claims[op[1] % len(self.claims)])
        elif kind == "correction":
            self._correct(self.claims[op[1] % len(self.claims)], op[2], op[3])
        else:
            self._patient(kind, self.coverages[op[1]].patient, op[2])

    def _void(self, claim: Claim) -> None:
        claim.refresh_from_db()
        with contextlib.suppress(claims.ClaimError):  # not a claim the payer has: no move
            claim_corrections.claim_void(claim=claim, user=self.biller)

    def _correct(self, claim: Claim, amount: Decimal, responsibility: str) -> None:
        """A correcting entry by hand (any writer of the ledger goes through its manager)."""
        if amount:
            LedgerEntry.objects.create(
                organization=self.org,
                patient_id=claim.patient_id,
                claim=claim,
                claim_line=claim.lines.first(),
                kind=LedgerKind.ADJUSTMENT,
                amount=amount,
                responsibility=responsibility,
                posted_on=clock.TODAY,
                memo="correction",
            )

    def _patient(self, kind: str, patient: Any, amount: Decimal) -> None:
        if kind == "apply_credit":
            patient_payments.patient_credit_apply(user=self.biller, patient=patient)
            return
        take = {
            "pay": patient_payments.patient_payment_take,
            "refund": patient_payments.patient_refund,
        }
        # A refund of more than the credit is refused, and nothing is written.
        with contextlib.suppress(ValidationFailed):
            take[kind](
                user=self.biller,
                patient=patient,
                amount=amount,
                method="cash",
                request_token=uuid.uuid4(),
            )


def _sum(entries: Any) -> Decimal:
    return sum((e.amount for e in entries), Z)


def _rows(report: aging.AgingReport) -> dict[str, list[Decimal]]:
    return {row.payer: row.buckets for row in report.rows}


def _oracle(org: Any, as_of: dt.date, age_from: str, by: str) -> dict[str, list[Decimal]]:
    """Aging summed entry by entry in Python, from the ledger alone."""
    rows: dict[str, list[Decimal]] = defaultdict(lambda: [Z] * len(aging.BUCKETS))
    entries = LedgerEntry.objects.filter(organization=org, posted_on__lte=as_of).select_related(
        "claim__coverage__payer", "patient"
    )
    for entry in entries:
        if by == aging.AgingBy.PATIENT:
            if entry.responsibility != "patient":
                continue
            p = entry.patient
            key = f"{p.last_name}, {p.first_name} ({p.mrn})"
        elif entry.claim is None:
            key = aging.NO_CLAIM_ROW
        elif entry.responsibility == "patient":
            key = aging.PATIENT_ROW
        else:
            key = entry.claim.coverage.payer.name
        start = entry.posted_on
        if entry.claim is not None:
            start = entry.claim.first_service_on
            if age_from == aging.AgeFrom.SUBMISSION and entry.claim.first_submitted_on:
                start = entry.claim.first_submitted_on
        rows[key][aging.bucket_of((as_of - start).days)] += entry.amount
    return {key: buckets for key, buckets in rows.items() if any(buckets)}


def test_a_claim_balance_is_kept_per_responsibility_as_entries_are_written(
    org: Any, biller: Any
) -> None:
    claim = make_claim(organization=org, control_number="K1")
    claim_ledger.charges_on_the_ledger(org.pk, [claim], list(claim.lines.all()))
    assert ClaimBalance.objects.get(claim=claim, responsibility="payer").amount == Decimal("150.00")
    raw = era([PAID.format(pcn="K1", dos="20260312")]).encode()
    posting.era_import(user=biller, raw=raw, filename="t.835")
    kept = {b.responsibility: b.amount for b in ClaimBalance.objects.filter(claim=claim)}
    assert kept == {"payer": Z, "patient": Decimal("20.00")}
    assert PatientBalance.objects.get(patient=claim.patient).amount == Decimal("20.00")
    assert balances_differ(organization_id=org.pk) == []


def test_a_written_entry_cannot_be_changed_or_deleted(org: Any) -> None:
    claim = make_claim(organization=org, control_number="K2")
    claim_ledger.charges_on_the_ledger(org.pk, [claim], list(claim.lines.all()))
    entry = LedgerEntry.objects.get(claim=claim)
    with pytest.raises(TypeError, match="never changed"):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(TypeError, match="never changed"):
        entry.save()
    with pytest.raises(TypeError, match="never deleted"):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert ClaimBalance.objects.get(claim=claim).amount == Decimal("150.00")


def test_aging_by_submission_counts_from_the_first_export_and_moves_on_with_the_date(
    org: Any, biller: Any
) -> None:
    import time_machine

    claim = make_claim(
        organization=org, control_number="S1", lines=[("97530", "150.00", dt.date(2026, 8, 3))]
    )
    Claim.objects.filter(pk=claim.pk).update(first_submitted_on=dt.date(2026, 11, 20))
    claim_ledger.charges_on_the_ledger(org.pk, [claim], list(claim.lines.all()))
    payer = claim.coverage.payer.name
    by_service = aging.aging_report(organization_id=org.pk, as_of=clock.TODAY)
    by_submission = aging.aging_report(
        organization_id=org.pk, as_of=clock.TODAY, age_from=aging.AgeFrom.SUBMISSION
    )
    assert _rows(by_service)[payer] == [Z, Z, Z, Z, Decimal("150.00")]  # 122 days
    assert _rows(by_submission)[payer] == [Decimal("150.00"), Z, Z, Z, Z]  # 13 days
    later = dt.datetime.combine(dt.date(2027, 1, 5), clock.TIME_OF_DAY, clock.clinic_time_zone())
    with time_machine.travel(later):
        moved = aging.aging_report(
            organization_id=org.pk, as_of=later.date(), age_from=aging.AgeFrom.SUBMISSION
        )
    assert _rows(moved)[payer] == [Z, Decimal("150.00"), Z, Z, Z]  # 46 days
