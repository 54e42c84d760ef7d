"""A small practice with an episode ready for daily notes (OT, supervised OTA, plan, goals), and
what the note page posts (`form_data`) for page tests."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.test import Client

from otclinic.clinic.care.models import Goal, PlannedIntervention, PlanStatus, TreatmentNote
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.staff.models import StateLicense
from tests.clinic import factories as f

DAY = dt.date(2026, 3, 12)


@dataclass
class Practice:
    org: Any
    clinic: Any
    ot: Any  # User
    ota: Any  # User
    episode: Any
    plan: Any
    grip: Goal
    barthel: Goal


def practice(
    *, state: str = "OH", payer_plan: str = "medicare_part_b", temporary_license: bool = False
) -> Practice:
    org = f.OrganizationFactory()
    clinic = f.ClinicFactory(organization=org, state=state)
    ot = f.StaffProfileFactory(user__organization=org, user__role="OT")
    ota = f.StaffProfileFactory(user__organization=org, user__role="OTA", supervising_ot=ot)
    if temporary_license:
        StateLicense.objects.create(
            organization=org,
            staff=ota,
            state=state,
            number="T-1001",
            expires_on=DAY + dt.timedelta(days=3650),
            temporary=True,
        )
    patient = f.PatientFactory(organization=org, home_clinic=clinic)
    coverage = f.CoverageFactory(
        patient=patient, payer=f.PayerFactory(organization=org, plan_kind=payer_plan)
    )
    episode = f.EpisodeFactory(
        patient=patient, therapist=ot, coverage=coverage, started_on=dt.date(2026, 3, 2)
    )
    plan = f.PlanOfCareFactory(episode=episode, status=PlanStatus.ACTIVE)
    for code, category in [
        ("97530", "therapeutic_activity"),
        ("97535", "self_care_adl"),
        ("97110", "therapeutic_exercise"),
    ]:
        PlannedIntervention.objects.create(
            organization=org, plan=plan, code=code, category=category
        )
    grip = _goal(plan, "grip strength", "kg", "18", "30", 1)
    barthel = _goal(plan, "Barthel Index", "", "60", "90", 2)
    return Practice(org, clinic, ot.user, ota.user, episode, plan, grip, barthel)


def dressing_goal_on_the_fim_scale(p: Practice) -> Goal:
    """A third goal of the plan, lower-body dressing measured in FIM levels (2 towards 5)."""
    return _goal(p.plan, "Lower-body dressing (FIM)", "level", "2", "5", 3)


def _goal(plan: Any, measure: str, unit: str, baseline: str, target: str, pos: int) -> Goal:
    return Goal.objects.create(
        organization=plan.organization,
        plan=plan,
        term="short",
        description=f"Improve {measure}",
        measure=measure,
        unit=unit,
        baseline=Decimal(baseline),
        target=Decimal(target),
        target_date=DAY + dt.timedelta(days=40),
        position=pos,
    )


def content(p: Practice, **overrides: Any) -> svc.NoteContent:
    """Three interventions by the OTA alone (38 timed minutes + 15), one goal measured."""
    values: dict[str, Any] = {
        "lines": (
            svc.LineInput("97530", "therapeutic_activity", assistant_minutes=23),
            svc.LineInput("97535", "self_care_adl", assistant_minutes=15),
            svc.LineInput("97110", "therapeutic_exercise", assistant_minutes=10),
        ),
        "goals": (svc.GoalInput(p.grip.pk, Decimal("21.5")),),
        "patient_response": "Tolerated well",
        "plan_next_visit": "Progress tub transfers",
    }
    values.update(overrides)
    return svc.NoteContent(**values)


def drafted(p: Practice, *, user: Any = None, day: dt.date = DAY, **overrides: Any) -> Any:
    user = user or p.ota
    note = svc.note_start(user=user, episode=p.episode, date_of_service=day)
    return svc.note_save(
        user=user, note=note, revision=note.revision, content=content(p, **overrides)
    )


def signed(p: Practice, **kw: Any) -> Any:
    note = drafted(p, **kw)
    user = kw.get("user") or p.ota
    return svc.note_sign(user=user, note=note, revision=note.revision)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(note: TreatmentNote, **changes: Any) -> dict[str, Any]:
    """What the note page posts for a note: its saved entries, with `changes` applied."""
    content = svc.content_of(note)
    data: dict[str, Any] = {
        "revision": note.revision,
        "patient_response": note.patient_response,
        "changes_in_condition": "",
        "plan_next_visit": note.plan_next_visit,
        "narrative": "",
    }
    sections = {
        "lines": [line.__dict__ for line in content.lines],
        "goals": [
            {"goal": str(g.goal_id), "value": g.value or "", "comment": ""} for g in content.goals
        ],
        "equipment": [],
        "environment": [],
        "caregiver": [],
    }
    for prefix, rows in sections.items():
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            for key, value in row.items():
                if value is False:
                    continue
                data[f"{prefix}-{i}-{key}"] = "on" if value is True else value
    data.update(changes)
    return data


def rendered_value(html: str, name: str) -> str:
    """The value of a rendered input, or the selected option of a select, by name."""
    field = re.search(rf'<(input|select)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert field, f"{name} is not on the page"
    if field.group(1) == "input":
        value = re.search(r'value="([^"]*)"', field.group(0))
        return value.group(1) if value else ""
    rest = html[field.end() : html.index("</select>", field.end())]
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', rest)
    return chosen.group(1) if chosen else ""
