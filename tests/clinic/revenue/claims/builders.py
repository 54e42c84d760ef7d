"""A small practice ready to bill: an OT and a supervised OTA, a Medicare patient with a plan of
care, a certifying physician, ranked diagnoses and a 2026 default fee schedule."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from otclinic.clinic.care.models import NoteLine, PlanDiagnosis, PlanStatus, TreatmentNote
from otclinic.clinic.revenue.models import FeeSchedule, FeeScheduleEntry
from otclinic.clinic.staff.models import StateLicense
from tests.clinic import factories as f

DAY = dt.date(2026, 3, 12)
# code: (charge, expected allowed, practice expense) per unit; synthetic figures.
FEES = {
    "97530": ("120.00", "35.10", "14.00"),
    "97110": ("100.00", "30.00", "12.00"),
    "97140": ("100.00", "28.00", "11.00"),
    "97535": ("110.00", "33.00", "13.00"),
    "97165": ("250.00", "100.00", "45.00"),
}


@dataclass
class Billing:
    org: Any
    clinic: Any
    ot: Any  # StaffProfile
    ota: Any  # StaffProfile
    patient: Any
    payer: Any
    coverage: Any
    physician: Any
    episode: Any
    plan: Any
    biller: Any  # User


def billing_practice(*, plan_kind: str = "medicare_part_b", filing: str = "MB") -> Billing:
    org = f.OrganizationFactory(
        npi=f.next_npi(),
        tax_id="991234567",
        billing_address="410 W Spring St",
        billing_city="Columbus",
        billing_state="OH",
        billing_zip="43215-1234",
        phone="614-555-0100",
    )
    clinic = f.ClinicFactory(organization=org, address="410 W Spring St", state="OH")
    ot = f.StaffProfileFactory(
        user__organization=org, user__role="OT", nbcot_expires_on=dt.date(2027, 12, 31)
    )
    StateLicense.objects.create(
        organization=org, staff=ot, state="OH", number="OT-1", expires_on=dt.date(2027, 6, 30)
    )
    ota = f.StaffProfileFactory(user__organization=org, user__role="OTA", supervising_ot=ot)
    patient = f.PatientFactory(
        organization=org,
        home_clinic=clinic,
        address="12 Example St",
        city="Columbus",
        state="OH",
        zip_code="43201",
    )
    payer = f.PayerFactory(organization=org, plan_kind=plan_kind, claim_filing_indicator=filing)
    coverage = f.CoverageFactory(patient=patient, payer=payer, member_id="1EG4TE5MK73")
    physician = f.PhysicianFactory(organization=org)
    referral = f.ReferralFactory(patient=patient, physician=physician)
    episode = f.EpisodeFactory(
        patient=patient,
        therapist=ot,
        coverage=coverage,
        referral=referral,
        started_on=dt.date(2026, 3, 2),
    )
    plan = f.PlanOfCareFactory(
        episode=episode, status=PlanStatus.ACTIVE, certifying_physician=physician
    )
    for rank, code in enumerate(["I69.351", "R27.8"], start=1):
        diagnosis = f.DiagnosisFactory(patient=patient, code=code)
        PlanDiagnosis.objects.create(organization=org, plan=plan, diagnosis=diagnosis, rank=rank)
    fee_schedule(org, year=2026)
    biller = f.staff_user(organization=org, role="biller")
    return Billing(org, clinic, ot, ota, patient, payer, coverage, physician, episode, plan, biller)


def fee_schedule(
    org: Any, *, year: int, payer: Any = None, fees: dict[str, tuple[str, str, str]] = FEES
) -> FeeSchedule:
    schedule = FeeSchedule.objects.create(organization=org, payer=payer, year=year, name="Standard")
    for code, (charge, allowed, pe) in fees.items():
        FeeScheduleEntry.objects.create(
            organization=org,
            schedule=schedule,
            code=code,
            charge_amount=Decimal(charge),
            expected_allowed=Decimal(allowed),
            practice_expense=Decimal(pe),
        )
    return schedule


def note(
    b: Billing,
    *lines: tuple[str, dict[str, Any]],
    day: dt.date = DAY,
    author: Any = None,
    status: str = "signed",
    episode: Any = None,
) -> TreatmentNote:
    """A note with the given lines, e.g. ("97530", {"assistant_minutes": 38}), signed."""
    lines = lines or (("97530", {"therapist_minutes": 38}),)
    minutes = sum(v for _, m in lines for k, v in m.items() if k.endswith("_minutes"))
    made = TreatmentNote.objects.create(
        organization=b.org,
        episode=episode or b.episode,
        author=author or b.ot,
        date_of_service=day,
        status=status,
        signed_at=None if status == "draft" else timezone.now(),
        total_timed_minutes=minutes,
        total_treatment_minutes=minutes,
    )
    for position, (code, spec) in enumerate(lines, start=1):
        NoteLine.objects.create(
            organization=b.org,
            note=made,
            position=position,
            code=code,
            category="therapeutic_activity",
            **spec,
        )
    return made
