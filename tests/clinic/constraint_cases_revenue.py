"""Constraint cases for the revenue cycle's tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from otclinic.clinic.revenue.models import (
    Charge,
    Claim,
    ClaimBatch,
    ClaimLine,
    ControlNumber,
    FeeSchedule,
    FeeScheduleEntry,
    Remittance,
    ThresholdOpeningBalance,
)
from tests.clinic import factories as f

D = dt.date
Case = Callable[[bool], object]


def _schedule(**fields: Any) -> FeeSchedule:
    values = {"organization": f.OrganizationFactory(), "year": 2026, "name": "Standard", **fields}
    return FeeSchedule.objects.create(**values)


def fee_schedule_unique_per_payer_year(bad: bool) -> object:
    first = _schedule(payer=f.PayerFactory())
    return _schedule(organization=first.organization, payer=first.payer, year=2026 if bad else 2027)


def fee_schedule_one_default_per_year(bad: bool) -> object:
    first = _schedule()
    return _schedule(organization=first.organization, year=2026 if bad else 2025)


def _entry(
    schedule: FeeSchedule, *, code: str = "97530", amount: str = "60.00"
) -> FeeScheduleEntry:
    return FeeScheduleEntry.objects.create(
        organization=schedule.organization,
        schedule=schedule,
        code=code,
        charge_amount=Decimal(amount),
    )


def fee_entry_unique_code(bad: bool) -> object:
    schedule = _schedule()
    _entry(schedule)
    return _entry(schedule, code="97530" if bad else "97535")


def fee_charge_not_negative(bad: bool) -> object:
    return _entry(_schedule(), amount="-1.00" if bad else "0.00")


def _opening(patient: Any = None, *, amount: str = "300.00", bucket: str = "OT") -> Any:
    patient = patient or f.PatientFactory()
    return ThresholdOpeningBalance.objects.create(
        organization=patient.organization,
        patient=patient,
        year=2026,
        bucket=bucket,
        amount=Decimal(amount),
    )


def threshold_opening_unique(bad: bool) -> object:
    first = _opening()
    return _opening(first.patient, bucket="OT" if bad else "PT_SLP")


def threshold_opening_not_negative(bad: bool) -> object:
    return _opening(amount="-0.01" if bad else "0.00")


def _charge(*, units: int = 1, amount: str = "60.00") -> Charge:
    note = f.TreatmentNoteFactory()
    return Charge.objects.create(
        organization=note.organization,
        note=note,
        patient=note.episode.patient,
        date_of_service=note.date_of_service,
        code="97530",
        modifiers=["GO"],
        units=units,
        amount=Decimal(amount),
    )


def charge_units_at_least_one(bad: bool) -> object:
    return _charge(units=0 if bad else 1)


def charge_amount_not_negative(bad: bool) -> object:
    return _charge(amount="-5.00" if bad else "5.00")


def _claim(**fields: Any) -> Claim:
    episode = fields.pop("episode", None) or f.EpisodeFactory()
    coverage = f.CoverageFactory(patient=episode.patient)
    values = {
        "organization": episode.organization,
        "patient": episode.patient,
        "coverage": coverage,
        "episode": episode,
        "patient_control_number": f"PCN{Claim.objects.count() + 1:05d}",
        "rendering_provider": episode.therapist,
        "total_charge": Decimal("120.00"),
        "first_service_on": D(2026, 1, 14),
        "last_service_on": D(2026, 1, 14),
        **fields,
    }
    return Claim.objects.create(**values)


def claim_control_number_unique(bad: bool) -> object:
    first = _claim()
    return _claim(
        episode=first.episode,
        patient_control_number=first.patient_control_number if bad else "OTHER1",
    )


def claim_service_dates_in_order(bad: bool) -> object:
    return _claim(last_service_on=D(2026, 1, 13) if bad else D(2026, 1, 15))


def claim_correction_names_original(bad: bool) -> object:
    original = None if bad else _claim()
    return _claim(frequency="7", original=original)


def _line(claim: Claim, *, number: int = 1, units: int = 1) -> ClaimLine:
    return ClaimLine.objects.create(
        organization=claim.organization,
        claim=claim,
        line_number=number,
        date_of_service=claim.first_service_on,
        code="97530",
        modifiers=["GO"],
        units=units,
        amount=Decimal("60.00"),
        diagnosis_pointers=[1],
    )


def claim_line_number_unique(bad: bool) -> object:
    claim = _claim()
    _line(claim)
    return _line(claim, number=1 if bad else 2)


def claim_line_units_at_least_one(bad: bool) -> object:
    return _line(_claim(), units=0 if bad else 2)


def control_number_unique(bad: bool) -> object:
    org = f.OrganizationFactory()
    ControlNumber.objects.create(organization=org, kind="interchange", last_value=1)
    return ControlNumber.objects.create(organization=org, kind="interchange" if bad else "group")


def batch_interchange_unique(bad: bool) -> object:
    user = f.UserFactory(role="biller")
    payer = f.PayerFactory(organization=user.organization)
    values = {
        "organization": user.organization,
        "payer": payer,
        "file": "x12/837p/batch.x12",
        "sha256": "0" * 64,
    }
    ClaimBatch.objects.create(interchange_control_number=1, created_by=user, **values)
    return ClaimBatch.objects.create(
        interchange_control_number=1 if bad else 2, created_by=user, **values
    )


def _remittance(user: Any, **fields: Any) -> Remittance:
    values = {
        "organization": user.organization,
        "file_sha256": "a" * 64,
        "imported_by": user,
        "payer_name": "Medicare",
        "payer_key": "1999999999",
        "payment_amount": Decimal("10.00"),
        **fields,
    }
    return Remittance.objects.create(**values)


def remittance_posted_once_by_trace(bad: bool) -> object:
    # Another file (other hash) with the same payer, trace number and amount.
    user = f.UserFactory(role="biller")
    _remittance(user, trace_number="EFT1")
    return _remittance(user, trace_number="EFT1" if bad else "EFT2", file_sha256="b" * 64)


def remittance_posted_once_by_content(bad: bool) -> object:
    # Without a trace number: the same segments, whatever file they came in.
    user = f.UserFactory(role="biller")
    _remittance(user, content_sha256="c" * 64)
    return _remittance(user, content_sha256="c" * 64 if bad else "d" * 64, file_sha256="b" * 64)


def acknowledgment_imported_once(bad: bool) -> object:
    from otclinic.clinic.revenue.models import Acknowledgment

    user = f.UserFactory(role="biller")
    values = {"organization": user.organization, "kind": "277CA", "imported_by": user}
    Acknowledgment.objects.create(sha256="a" * 64, **values)
    return Acknowledgment.objects.create(sha256="a" * 64 if bad else "b" * 64, **values)


def _payment(user: Any, **fields: Any) -> Any:
    import uuid

    from otclinic.clinic.revenue.models import PatientPayment

    values = {
        "organization": user.organization,
        "patient": f.PatientFactory(organization=user.organization),
        "amount": Decimal("10.00"),
        "method": "cash",
        "received_on": D(2026, 3, 1),
        "receipt_number": f"R{uuid.uuid4().hex[:10]}",
        "taken_by": user,
        "request_token": uuid.uuid4(),
    }
    return PatientPayment.objects.create(**(values | fields))


def patient_payment_once(bad: bool) -> object:
    import uuid

    user = f.UserFactory(role="front_desk")
    token = uuid.uuid4()
    _payment(user, request_token=token)
    return _payment(user, request_token=token if bad else uuid.uuid4())


def patient_payment_receipt_unique(bad: bool) -> object:
    user = f.UserFactory(role="front_desk")
    _payment(user, receipt_number="R1")
    return _payment(user, receipt_number="R1" if bad else "R2")


def patient_payment_positive(bad: bool) -> object:
    return _payment(f.UserFactory(role="front_desk"), amount=Decimal("0.00" if bad else "0.01"))


REVENUE_CASES: list[tuple[str, Case]] = [
    (name, case)
    for name, case in list(globals().items())
    if callable(case)
    and not name.startswith("_")
    and case.__module__ == __name__
    and name != "Case"
]
