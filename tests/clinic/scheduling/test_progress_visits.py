"""The visit on which the progress report falls due carries the mark, and the mark follows."""

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from otclinic.clinic.care.models import Evaluation, ProgressReport
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import Appointment, AppointmentKind
from otclinic.clinic.scheduling.progress_visits import (
    progress_visit_mark,
    progress_visits_mark_all,
)
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
PLAN_START = dt.date(2026, 6, 1)  # a Monday
TODAY = dt.date(2026, 6, 15)  # a Monday, two weeks in
# The evaluation and eight signed notes: nine treatment days before today.
NOTE_DAYS = [PLAN_START + dt.timedelta(days=n) for n in (1, 2, 3, 4, 7, 8, 9, 10)]
BOOK_DAYS = [TODAY + dt.timedelta(days=n) for n in (0, 2, 4, 7, 9, 11, 14, 16, 18, 21, 23)]


@pytest.fixture(autouse=True)
def clock(settings: Any) -> Iterator[None]:
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(7), tzinfo=NY), tick=False):
        yield


@pytest.fixture
def episode() -> Any:
    patient = f.PatientFactory()
    episode = f.EpisodeFactory(
        patient=patient, coverage=f.CoverageFactory(patient=patient), started_on=PLAN_START
    )
    f.PlanOfCareFactory(
        episode=episode, status="active", frequency_per_week=3, duration_weeks=8, duration_days=56
    )
    Evaluation.objects.create(
        organization=episode.organization,
        episode=episode,
        kind="evaluation",
        performed_on=PLAN_START,
        therapist=episode.therapist,
        code="97165",
    )
    return episode


@pytest.fixture
def desk(episode: Any) -> Any:
    return f.staff_user(organization=episode.organization, role="front_desk")


def _notes(episode: Any, days: list[dt.date]) -> None:
    for day in days:
        f.TreatmentNoteFactory(
            episode=episode, date_of_service=day, status="signed", signed_at=timezone.now()
        )


def _book(desk: Any, episode: Any, days: list[dt.date], **kw: Any) -> list[Appointment]:
    return [
        services.appointment_book(
            user=desk,
            patient=episode.patient,
            clinician=episode.therapist,
            clinic=episode.clinic,
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=NY),
            minutes=45,
            episode=episode,
            **kw,
        )
        for day in days
    ]


def _marked(episode: Any) -> list[dt.date]:
    rows = Appointment.objects.filter(episode=episode, progress_report_due=True)
    return [timezone.localdate(a.starts_at) for a in rows]


def test_nine_treatment_days_done_mark_the_next_scheduled_visit(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS[:3])
    assert _marked(episode) == [TODAY]


def test_the_mark_waits_for_the_tenth_treatment_day(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS[:4])  # five treatment days with the evaluation
    _book(desk, episode, BOOK_DAYS[:4])
    assert _marked(episode) == []  # nine at most: no report falls due on the book yet
    _book(desk, episode, BOOK_DAYS[4:6])
    assert _marked(episode) == [BOOK_DAYS[4]]  # the fifth booked visit is the tenth day


def test_cancelling_the_marked_visit_moves_the_mark_to_the_next(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    first, second, _ = _book(desk, episode, BOOK_DAYS[:3])
    services.appointment_cancel(user=desk, appointment=first, reason="patient ill")
    assert _marked(episode) == [BOOK_DAYS[1]]
    second.refresh_from_db()
    assert second.progress_report_due and second.kind == AppointmentKind.TREATMENT


def test_a_no_show_moves_the_mark_too(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    first, *_ = _book(desk, episode, BOOK_DAYS[:3])
    services.appointment_cancel(user=desk, appointment=first, reason="no call", no_show=True)
    assert _marked(episode) == [BOOK_DAYS[1]]


def test_a_signed_progress_report_resets_the_mark(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS)
    assert _marked(episode) == [TODAY]
    ProgressReport.objects.create(
        organization=episode.organization,
        episode=episode,
        report_date=NOTE_DAYS[-1],
        period_start=PLAN_START,
        author=episode.therapist,
        status="signed",
        signed_at=timezone.now(),
    )
    # Ten treatment days after the report: the eleven booked visits reach the tenth.
    assert _marked(episode) == [BOOK_DAYS[9]]


def test_a_draft_progress_report_leaves_the_mark(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS[:3])
    ProgressReport.objects.create(
        organization=episode.organization,
        episode=episode,
        report_date=TODAY,
        period_start=PLAN_START,
        drafted_by=episode.therapist,
    )
    assert _marked(episode) == [TODAY]


def test_a_signed_note_on_an_unbooked_day_brings_the_mark_forward(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS[:4])
    _book(desk, episode, BOOK_DAYS[:6])
    assert _marked(episode) == [BOOK_DAYS[4]]
    with time_machine.travel(dt.datetime(2026, 6, 15, 18, tzinfo=NY), tick=False):
        _notes(episode, [dt.date(2026, 6, 12)])  # a make-up visit last Friday, now signed
    assert _marked(episode) == [BOOK_DAYS[3]]


def test_a_draft_note_does_not_count(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS[:4])
    _book(desk, episode, BOOK_DAYS[:6])
    f.TreatmentNoteFactory(episode=episode, date_of_service=dt.date(2026, 6, 12))
    assert _marked(episode) == [BOOK_DAYS[4]]


def test_only_a_treatment_visit_carries_the_mark(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS[:1], kind=AppointmentKind.DISCHARGE)
    _book(desk, episode, BOOK_DAYS[1:3])
    assert _marked(episode) == [BOOK_DAYS[1]]


def test_discharging_the_episode_clears_the_mark(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS[:3])
    episode.status = "discharged"
    episode.ended_on = TODAY
    episode.save()
    assert _marked(episode) == []


def test_recomputing_every_episode_repairs_a_stale_mark_and_changes_nothing_else(
    desk: Any, episode: Any
) -> None:
    _notes(episode, NOTE_DAYS)
    booked = _book(desk, episode, BOOK_DAYS[:3])
    Appointment.objects.filter(pk=booked[0].pk).update(progress_report_due=False)
    Appointment.objects.filter(pk=booked[2].pk).update(progress_report_due=True)
    before = {a.pk: (a.starts_at, a.ends_at, a.kind, a.status) for a in booked}
    assert progress_visits_mark_all() == 1
    assert _marked(episode) == [TODAY]
    assert progress_visits_mark_all() == 1  # again: the same answer
    after = {
        a.pk: (a.starts_at, a.ends_at, a.kind, a.status)
        for a in Appointment.objects.filter(episode=episode)
    }
    assert after == before


def test_a_visit_booked_before_today_is_not_marked(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS[:2])
    assert (
        progress_visit_mark(episode=episode, today=BOOK_DAYS[1]).starts_at.date() == (BOOK_DAYS[1])
    )
    assert _marked(episode) == [BOOK_DAYS[1]]


def test_recomputing_in_batches_gives_each_episode_its_own_mark(desk: Any, episode: Any) -> None:
    _notes(episode, NOTE_DAYS)
    _book(desk, episode, BOOK_DAYS[:2])
    other = f.EpisodeFactory(
        patient=f.PatientFactory(organization=episode.organization),
        started_on=PLAN_START,
    )
    f.PlanOfCareFactory(episode=other, status="active", duration_days=56)
    _notes(other, NOTE_DAYS[:4])
    _book(desk, other, BOOK_DAYS[:6])
    closed = f.EpisodeFactory(status="discharged", ended_on=PLAN_START, started_on=PLAN_START)
    stale = f.AppointmentFactory(
        patient=closed.patient,
        episode=closed,
        starts_at=dt.datetime.combine(TODAY, dt.time(15), tzinfo=NY),
    )
    Appointment.objects.update(progress_report_due=False)
    Appointment.objects.filter(pk=stale.pk).update(progress_report_due=True)
    assert progress_visits_mark_all() == 2
    assert _marked(episode) == [TODAY]
    assert _marked(other) == [BOOK_DAYS[5]]  # four notes (no evaluation), then six booked
    assert _marked(closed) == []
