"""A small practice with one OT episode from a referral, for the therapist's documents."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from otclinic.clinic.care.services import clinical as svc
from tests.clinic import factories as f

DAY1 = dt.date(2026, 1, 12)


@dataclass
class Practice:
    org: Any
    ot: Any
    ota: Any
    biller: Any
    desk: Any
    patient: Any
    diagnosis: Any
    physician: Any
    referral: Any
    episode: Any


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def practice(db: None) -> Practice:
    org = f.OrganizationFactory()
    ot = f.staff_user(organization=org, role="OT")
    ota = f.StaffProfileFactory(
        user__organization=org, user__role="OTA", supervising_ot=ot.staff_profile
    ).user
    patient = f.PatientFactory(organization=org)
    diagnosis = f.DiagnosisFactory(patient=patient)
    physician = f.PhysicianFactory(organization=org, fax="555-0100")
    referral = f.ReferralFactory(
        patient=patient, physician=physician, signed_on=DAY1 - dt.timedelta(days=5)
    )
    episode = f.EpisodeFactory(
        patient=patient,
        therapist=ot.staff_profile,
        referral=referral,
        started_on=DAY1,
        coverage=f.CoverageFactory(patient=patient),
    )
    return Practice(
        org=org,
        ot=ot,
        ota=ota,
        biller=f.staff_user(organization=org, role="biller"),
        desk=f.staff_user(organization=org, role="front_desk"),
        patient=patient,
        diagnosis=diagnosis,
        physician=physician,
        referral=referral,
        episode=episode,
    )


def evaluate(p: Practice, **overrides: Any) -> Any:
    data = {
        "user": p.ot,
        "episode": p.episode,
        "performed_on": DAY1,
        "occupational_profile": "Retired teacher; wants to cook and dress on her own.",
        "history": "Left CVA in November; lives with spouse.",
        "performance_deficits": "Dressing, grooming, meal preparation, handwriting.",
        "history_review": "expanded",
        "deficit_count": 4,
        "decision_making": "moderate",
        "scores": [
            svc.ScoreInput("barthel", Decimal(60)),
            svc.ScoreInput("grip_kg", Decimal("12.5"), "right"),
        ],
    }
    return svc.evaluation_create(**{**data, **overrides})


def signed_plan(p: Practice, *, duration_days: int = 56) -> Any:
    plan = svc.plan_create(
        user=p.ot,
        episode=p.episode,
        established_on=DAY1,
        duration_days=duration_days,
        frequency_per_week=2,
        duration_weeks=8,
        diagnoses=[p.diagnosis],
    )
    svc.goal_add(
        user=p.ot,
        plan=plan,
        term="long",
        description="Dresses upper body independently",
        measure="Barthel Index",
        unit="points",
        baseline=Decimal(60),
        target=Decimal(85),
        target_date=DAY1 + dt.timedelta(days=50),
    )
    svc.goal_add(
        user=p.ot,
        plan=plan,
        term="short",
        description="Grip strength for opening jars",
        measure="Grip strength right",
        unit="kg",
        baseline=Decimal("12.5"),
        target=Decimal(18),
        target_date=DAY1 + dt.timedelta(days=28),
    )
    svc.intervention_add(
        user=p.ot,
        plan=plan,
        category="self_care_adl",
        code="97535",
        description="Dressing practice",
    )
    svc.intervention_add(
        user=p.ot,
        plan=plan,
        category="therapeutic_exercise",
        code="97110",
        description="Putty squeezes, 10 times each hand",
    )
    return svc.plan_sign(user=p.ot, plan=plan)


def signed_notes(p: Practice, days: list[dt.date], *, author: Any = None) -> list[Any]:
    notes = []
    for day in days:
        note = f.TreatmentNoteFactory(
            episode=p.episode,
            author=(author or p.ota).staff_profile,
            date_of_service=day,
            status="signed",
            signed_at=dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC),
        )
        f.NoteLineFactory(
            note=note, code="97535", category="self_care_adl", description="Buttoning practice"
        )
        notes.append(note)
    return notes
