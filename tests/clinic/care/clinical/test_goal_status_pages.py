"""Goals marked met or overdue from their measures on the episode page and the home's due list."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.care.models import Goal, GoalAssessment, GoalProgress, ProgressReport
from otclinic.clinic.care.selectors_goals import overdue_goals
from tests.clinic.care.clinical.conftest import DAY1, Practice, signed_notes, signed_plan
from tests.clock import TODAY

pytestmark = pytest.mark.django_db
BARTHEL_OVERDUE = "Goal overdue: Barthel Index target 85 points was due by Mar 03, 2026"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _measure(p: Practice, goal: Goal, value: str, day: dt.date) -> None:
    note = signed_notes(p, [day])[0]
    GoalProgress.objects.create(organization=p.org, note=note, goal=goal, value=Decimal(value))


def _badge(body: str, measure: str) -> str:
    caption = re.search(rf"— {measure} from [^<]*<span class=\"badge[^\"]*\">([^<]+)</span>", body)
    assert caption, measure
    return caption.group(1)


def test_a_goal_measured_past_its_target_is_met_and_an_unmeasured_late_one_is_overdue(
    practice: Practice,
) -> None:
    plan = signed_plan(practice)
    # 19 kg against an 18 kg target (higher is better): met.
    _measure(practice, plan.goals.get(term="short"), "19", DAY1 + dt.timedelta(days=10))
    client = client_for(practice.ot)

    body = client.get(f"/care/episodes/{practice.episode.pk}/").content.decode()
    assert _badge(body, "Grip strength right") == "Met"
    assert _badge(body, "Barthel Index") == "Overdue"
    assert BARTHEL_OVERDUE in body
    assert "Goal overdue: Grip strength" not in body

    home = client.get("/").content.decode()
    assert BARTHEL_OVERDUE in home and "Goal overdue: Grip strength" not in home


def test_a_goal_not_yet_due_is_in_progress_and_not_listed(practice: Practice) -> None:
    plan = signed_plan(practice)
    plan.goals.update(target_date=TODAY + dt.timedelta(days=10))
    client = client_for(practice.ot)
    body = client.get(f"/care/episodes/{practice.episode.pk}/").content.decode()
    assert _badge(body, "Barthel Index") == "In progress"
    assert "Goal overdue" not in body
    assert "Goal overdue" not in client.get("/").content.decode()


def test_overdue_goals_read_many_goals_in_one_query_in_each_goals_direction(
    practice: Practice, django_assert_num_queries: Any
) -> None:
    plan = signed_plan(practice)
    peg = Goal.objects.create(
        organization=practice.org,
        plan=plan,
        term="short",
        description="Buttons a shirt quickly",
        measure="Nine-Hole Peg Test",
        unit="seconds",
        baseline=Decimal(41),
        target=Decimal(30),
        target_date=DAY1 + dt.timedelta(days=30),
        position=3,
    )
    # Lower is better: 29.5 s on the progress report, later than a slower note, is met.
    _measure(practice, peg, "33", DAY1 + dt.timedelta(days=20))
    report = ProgressReport.objects.create(
        organization=practice.org,
        episode=practice.episode,
        author=practice.ot.staff_profile,
        report_date=DAY1 + dt.timedelta(days=25),
        period_start=DAY1,
    )
    GoalAssessment.objects.create(
        organization=practice.org,
        goal=peg,
        progress_report=report,
        value=Decimal("29.5"),
        status="active",
    )
    with django_assert_num_queries(1):
        found = overdue_goals([practice.episode.pk], as_of=TODAY)
    assert [g.text.split(" target")[0] for g in found] == [
        "Goal overdue: Grip strength right",
        "Goal overdue: Barthel Index",
    ]
