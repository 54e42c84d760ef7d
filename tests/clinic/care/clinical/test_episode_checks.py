"""The stored episode-check answer (care.episode_checks) is always the live check's answer.

Each kind of write to what the check reads makes the stored answer stale in the writer's
transaction, and the next read shows what the check run afresh shows; so does a new clinic date.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otclinic.clinic.care import due_list, episode_checks
from otclinic.clinic.care.models import (
    CertificationRequest,
    EpisodeCheck,
    Goal,
    GoalAssessment,
    GoalProgress,
    NoteStatus,
    ProgressReport,
    TreatmentNote,
)
from otclinic.clinic.care.selectors import DueEpisode, _due_items
from otclinic.clinic.care.selectors_clinical import reload_episode
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.care.services.clinical.certification_reminders import (
    certification_reminders_send,
)
from otclinic.domain.compliance.episode_model import EpisodeResult
from tests.clinic import factories as f
from tests.clinic.care.clinical.conftest import DAY1, Practice, evaluate, signed_notes, signed_plan

pytestmark = pytest.mark.django_db

AS_OF = DAY1 + dt.timedelta(days=40)


def stored(p: Practice, as_of: dt.date = AS_OF) -> EpisodeResult | None:
    return episode_checks.results_for([p.episode], as_of=as_of)[p.episode.pk]


def live(p: Practice, as_of: dt.date = AS_OF) -> EpisodeResult | None:
    return episode_checks.live_result(reload_episode(p.episode), as_of=as_of)


def row(p: Practice) -> EpisodeCheck:
    return EpisodeCheck.objects.get(episode=p.episode)


def treatment_days(p: Practice, count: int, *, start: dt.date = DAY1) -> list[dt.date]:
    return [start + dt.timedelta(days=2 * i) for i in range(1, count + 1)]


@pytest.fixture
def planned(practice: Practice) -> Practice:
    """The practice's episode evaluated, with a signed plan and eight signed notes."""
    svc.evaluation_sign(user=practice.ot, evaluation=evaluate(practice))
    signed_plan(practice)
    signed_notes(practice, treatment_days(practice, 8))
    return practice


def _sign_two_more_notes(p: Practice) -> None:
    signed_notes(p, treatment_days(p, 2, start=DAY1 + dt.timedelta(days=16)))


def _unsign_a_note(p: Practice) -> None:
    note = TreatmentNote.objects.filter(episode=p.episode).latest("date_of_service")
    note.status = NoteStatus.DRAFT
    note.save()


def _cosign_pending_notes_in_bulk(p: Practice) -> None:
    # QuerySet.update sends no per-row signal: the bulk-update hook covers it.
    TreatmentNote.objects.filter(episode=p.episode).update(status=NoteStatus.DRAFT)


def _delete_a_note(p: Practice) -> None:
    note = TreatmentNote.objects.filter(episode=p.episode).latest("date_of_service")
    note.lines.all().delete()
    note.delete()


def _certify(p: Practice) -> None:
    plan = p.episode.plans.get()
    svc.certification_record(user=p.ot, plan=plan, signed_on=DAY1 + dt.timedelta(days=10))


def _recertify(p: Practice) -> None:
    plan = p.episode.plans.get()
    svc.certification_record(user=p.ot, plan=plan, signed_on=DAY1 + dt.timedelta(days=10))
    svc.plan_recertify(
        user=p.ot,
        plan=plan,
        physician=p.physician,
        certified_on=DAY1 + dt.timedelta(days=30),
        duration_days=60,
        frequency_per_week=2,
        duration_weeks=8,
    )


def _reevaluate(p: Practice) -> None:
    evaluate(p, reevaluation=True, performed_on=DAY1 + dt.timedelta(days=17))


def _progress_report(p: Practice) -> None:
    draft = reports.progress_report_draft(
        user=p.ot,
        episode=p.episode,
        report_date=DAY1 + dt.timedelta(days=17),
        objective_findings="Barthel 70; grip right 15 kg.",
    )
    goals = list(p.episode.plans.get().goals.all())
    reports.progress_report_complete(
        user=p.ot,
        report=draft,
        assessment="Improving steadily with practice.",
        plan="Continue plan.",
        goal_assessments=[reports.GoalAssessmentInput(g, "active", Decimal(15)) for g in goals],
    )


def _discharge(p: Practice) -> None:
    goals = list(p.episode.plans.get().goals.all())
    reports.discharge_create(
        user=p.ot,
        episode=p.episode,
        discharge_date=DAY1 + dt.timedelta(days=20),
        reason="goals_met",
        summary="Met goals.",
        outcomes=[reports.GoalAssessmentInput(g, "met", Decimal(18)) for g in goals],
    )


def _authorize_fewer_visits(p: Practice) -> None:
    coverage = p.episode.coverage
    coverage.authorized_visits = 6
    coverage.save()


def _payer_interval(p: Practice) -> None:
    payer = p.episode.coverage.payer
    payer.progress_interval_days = 7
    payer.save()


def _referral_drops_the_discipline(p: Practice) -> None:
    referral = p.episode.referral
    referral.names_discipline = False
    referral.save()


def _author_changes_role(p: Practice) -> None:
    # The notes' author becomes an OT: her documents now qualify differently.
    p.ota.role = "OT"
    p.ota.save()


CHANGES: dict[str, Callable[[Practice], None]] = {
    "notes signed": _sign_two_more_notes,
    "a note back to draft": _unsign_a_note,
    "notes changed in bulk": _cosign_pending_notes_in_bulk,
    "a note deleted": _delete_a_note,
    "certification signed": _certify,
    "recertification": _recertify,
    "re-evaluation": _reevaluate,
    "progress report": _progress_report,
    "discharge": _discharge,
    "authorized visits": _authorize_fewer_visits,
    "payer's progress interval": _payer_interval,
    "referral": _referral_drops_the_discipline,
    "an author's role": _author_changes_role,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_after_each_kind_of_change_the_stored_answer_is_the_live_one(
    planned: Practice, change: Callable[[Practice], None]
) -> None:
    before = stored(planned)
    assert before == live(planned) and row(planned).result is not None

    change(planned)

    assert row(planned).result is None  # made stale in the writer's transaction
    assert stored(planned) == live(planned)
    assert row(planned).result is not None  # and stored again


@pytest.mark.parametrize(
    "change",
    [_sign_two_more_notes, _certify, _progress_report, _authorize_fewer_visits, _discharge],
)
def test_the_changes_that_move_the_answer_show_on_the_next_read(
    planned: Practice, change: Callable[[Practice], None]
) -> None:
    before = stored(planned)

    change(planned)

    after = stored(planned)
    assert after != before
    assert after == live(planned)


@pytest.mark.parametrize("days", [1, 5, 12, 30, 90])
def test_the_answer_of_another_day_is_computed_for_that_day(planned: Practice, days: int) -> None:
    first = stored(planned)
    later = AS_OF + dt.timedelta(days=days)

    assert stored(planned, later) == live(planned, later)
    assert row(planned).computed_for == later
    assert first == live(planned)  # the first day's answer was that day's


def test_the_answer_changes_when_the_date_moves_on(planned: Practice) -> None:
    # The evaluation and eight notes are nine treatment days; two more notes, and the tenth
    # treatment day (DAY1 + 18) makes the progress report due.
    early = DAY1 + dt.timedelta(days=17)
    assert stored(planned, early) is not None
    _sign_two_more_notes(planned)
    tenth = DAY1 + dt.timedelta(days=18)

    on_the_day = stored(planned, tenth)
    day_before = stored(planned, tenth - dt.timedelta(days=1))

    assert on_the_day is not None and day_before is not None
    assert on_the_day.progress_report.due_by == tenth
    assert day_before.progress_report.due_by is None
    assert on_the_day == live(planned, tenth)


def test_an_answer_computed_while_a_write_commits_is_not_stored(planned: Practice) -> None:
    """The version is read before the documents; a write in between raises it, and the answer
    computed from the older documents finds no row to store into."""
    stored(planned, AS_OF - dt.timedelta(days=1))
    rows = episode_checks._stored_rows([planned.episode])
    _sign_two_more_notes(planned)  # a write between reading the version and the documents

    episode_checks._recompute(list(rows.values()), as_of=AS_OF)

    assert row(planned).result is None
    assert stored(planned) == live(planned)


def test_an_episode_without_a_plan_is_stored_as_nothing_to_check(practice: Practice) -> None:
    assert stored(practice) is None
    assert row(practice).no_plan

    signed_plan(practice)

    assert stored(practice) is not None
    assert stored(practice) == live(practice)


def test_a_new_release_of_the_rules_recomputes(
    planned: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(planned)
    EpisodeCheck.objects.filter(episode=planned.episode).update(result={"not": "current"})

    monkeypatch.setattr(episode_checks, "rules_version", lambda: "another-release")

    assert stored(planned) == live(planned)
    assert row(planned).rules_version == "another-release"


def test_a_sign_in_leaves_the_stored_answers_alone(planned: Practice) -> None:
    stored(planned)
    version = row(planned).facts_version

    Client().force_login(planned.ot)

    assert row(planned).facts_version == version


def test_another_organizations_changes_leave_the_answer_alone(planned: Practice) -> None:
    stored(planned)
    version = row(planned).facts_version
    other = f.EpisodeFactory()

    f.TreatmentNoteFactory(episode=other, date_of_service=DAY1)
    f.PayerFactory(organization=other.organization).save()

    assert row(planned).facts_version == version


# --- the pages ------------------------------------------------------------------------------------


def _home_due(client: Client) -> list[Any]:
    """The home's due list, less its overdue goals: those come from the goals' measures, not
    from the episode check (tests/clinic/care/clinical/test_goal_status_pages.py)."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [i for i in response.context["due_items"] if not i.text.startswith("Goal overdue")]


def _live_due(p: Practice, today: dt.date) -> list[Any]:
    result = live(p, today)
    assert result is not None
    episode = reload_episode(p.episode)
    shown = DueEpisode(
        episode.pk,
        episode.organization_id,
        episode.discipline,
        episode.patient_id,
        f"{episode.patient.last_name}, {episode.patient.first_name}",
        episode.therapist.user_id,
    )
    return _due_items(shown, result, as_of=today)


def test_the_home_page_shows_the_live_checks_due_list_after_a_change(planned: Practice) -> None:
    client = Client()
    client.force_login(planned.ot)
    today = dt.date(2026, 12, 3)  # the suite's clock
    assert _home_due(client) == _live_due(planned, today)

    _certify(planned)
    _sign_two_more_notes(planned)

    due = _home_due(client)
    assert due == _live_due(planned, today)
    assert row(planned).computed_for == today


def test_the_chart_shows_the_live_checks_answer_after_a_change(planned: Practice) -> None:
    client = Client()
    client.force_login(planned.ot)
    today = dt.date(2026, 12, 3)
    # The chart's episode section (loaded by the chart when it comes into view).
    url = reverse("patient-care-overview", args=[planned.patient.pk])
    client.get(url)

    _recertify(planned)

    response = client.get(url)
    [overview] = response.context["episode_overviews"]
    assert overview["result"] == live(planned, today)


def test_the_daily_job_computes_the_days_answers_ahead_of_the_first_view(
    planned: Practice, django_assert_num_queries: Any
) -> None:
    today = dt.date(2026, 12, 3)
    stored(planned, today - dt.timedelta(days=1))

    assert episode_checks.refresh_open_episodes(as_of=today) == 1

    assert row(planned).computed_for == today
    with django_assert_num_queries(1):  # the stored row only: nothing recomputed
        answer = stored(planned, today)
    assert answer == live(planned, today)
    assert episode_checks.refresh_open_episodes(as_of=today) == 0


# --- the due list's goals and certification follow-ups, stored with the answer ---------------------

SENT = DAY1 + dt.timedelta(days=2)
REMIND_DAY = SENT + dt.timedelta(days=8)  # the first reminder (a week after sending) is due


def stored_reminders(p: Practice, as_of: dt.date = AS_OF) -> dict[str, list[Any]]:
    return episode_checks.answers_for([p.episode], as_of=as_of)[p.episode.pk].reminders


def live_reminders(p: Practice, as_of: dt.date = AS_OF) -> dict[str, list[Any]]:
    return due_list.reminders_as_json([(p.episode.pk, p.org.pk)], as_of=as_of)[p.episode.pk]


def _grip(p: Practice) -> Goal:
    return Goal.objects.get(plan__episode=p.episode, term="short")


def _goal_target_moved_later(p: Practice) -> None:
    goal = _grip(p)
    goal.target_date = AS_OF + dt.timedelta(days=10)
    goal.save()


def _goal_met_on_a_note(p: Practice) -> None:
    note = TreatmentNote.objects.filter(episode=p.episode).latest("date_of_service")
    GoalProgress.objects.create(organization=p.org, note=note, goal=_grip(p), value=Decimal(19))


def _goal_measures_changed_in_bulk(p: Practice) -> None:
    _goal_met_on_a_note(p)
    GoalProgress.objects.filter(goal=_grip(p)).update(value=Decimal(13))


def _goal_met_on_a_progress_report(p: Practice) -> None:
    report = ProgressReport.objects.create(
        organization=p.org,
        episode=p.episode,
        author=p.ot.staff_profile,
        report_date=DAY1 + dt.timedelta(days=30),
        period_start=DAY1,
    )
    GoalAssessment.objects.create(
        organization=p.org, goal=_grip(p), progress_report=report, value=Decimal(20)
    )


def _certification_sent(p: Practice) -> None:
    svc.certification_request_send(user=p.ot, plan=p.episode.plans.get(), sent_on=SENT)


def _reminder_sent(p: Practice) -> None:
    _certification_sent(p)
    certification_reminders_send(today=REMIND_DAY)


def _certification_refused(p: Practice) -> None:
    _certification_sent(p)
    request = CertificationRequest.objects.get(plan__episode=p.episode)
    svc.certification_request_refuse(
        user=p.ot, request=request, refused_on=SENT + dt.timedelta(days=3), reason="Too many visits"
    )


def _physician_renamed(p: Practice) -> None:
    _certification_sent(p)
    stored_reminders(p, REMIND_DAY)
    p.physician.last_name = "Okafor-Reyes"
    p.physician.save()


REMINDER_CHANGES: dict[str, Callable[[Practice], None]] = {
    "a goal's target date": _goal_target_moved_later,
    "a goal met on a note": _goal_met_on_a_note,
    "goal measures changed in bulk": _goal_measures_changed_in_bulk,
    "a goal met on a progress report": _goal_met_on_a_progress_report,
    "certification sent": _certification_sent,
    "a reminder sent": _reminder_sent,
    "certification refused": _certification_refused,
    "the physician renamed": _physician_renamed,
}


@pytest.mark.parametrize("as_of", [AS_OF, REMIND_DAY], ids=["goals", "certification"])
@pytest.mark.parametrize("change", REMINDER_CHANGES.values(), ids=REMINDER_CHANGES.keys())
def test_after_each_kind_of_change_the_stored_reminders_are_the_live_ones(
    planned: Practice, change: Callable[[Practice], None], as_of: dt.date
) -> None:
    assert stored_reminders(planned, as_of) == live_reminders(planned, as_of)

    change(planned)

    assert row(planned).reminders is None  # made stale in the writer's transaction
    assert stored_reminders(planned, as_of) == live_reminders(planned, as_of)
    assert row(planned).reminders is not None  # and stored again


def test_the_stored_reminders_say_what_is_overdue_and_what_to_follow_up(planned: Practice) -> None:
    grip_overdue = stored_reminders(planned)["goals"]
    _certification_sent(planned)
    on_the_reminder_day = stored_reminders(planned, REMIND_DAY)

    assert [day for day, _ in grip_overdue] == [(DAY1 + dt.timedelta(days=28)).isoformat()]
    assert grip_overdue[0][1].startswith("Goal overdue: Grip strength right")
    [remind] = on_the_reminder_day["remind"]
    assert remind[-1].startswith(f"Certification reminder 1 to {planned.physician}: plan v1")
    assert on_the_reminder_day["refused"] == []


def test_the_home_page_lists_the_stored_reminders_as_the_live_ones(planned: Practice) -> None:
    client = Client()
    client.force_login(planned.ot)
    _certification_refused(planned)
    today = dt.date(2026, 12, 3)  # the suite's clock

    due = client.get(reverse("home")).context["due_items"]

    live = live_reminders(planned, today)
    goals = [i.text for i in due if i.label == "Overdue" and i.text.startswith("Goal overdue")]
    assert goals == [text for _, text in live["goals"]] and goals
    assert [i.text for i in due if i.label == "Refused"] == [r[-1] for r in live["refused"]]
    assert [i.text for i in due if i.label == "Refused"]
