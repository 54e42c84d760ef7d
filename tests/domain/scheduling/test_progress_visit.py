"""The progress-report visit: the booked visit on which the open period's report falls due."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.codes import Discipline, DocumentType, PayerPlan
from otclinic.domain.compliance.episode import check_episode
from otclinic.domain.compliance.episode_model import (
    AuthorRole,
    Episode,
    EpisodeDocument,
    PlanOfCare,
)
from otclinic.domain.compliance.payer_policy import ProgressInterval, resolve_policy
from otclinic.domain.scheduling.progress_visit import (
    BookedVisit,
    progress_visit_day,
    report_due_day,
)

START = date(2026, 6, 1)  # a Monday
MEDICARE = resolve_policy(plan=PayerPlan.MEDICARE_PART_B)
CALENDAR_30 = replace(
    MEDICARE, progress_interval_kind=ProgressInterval.CALENDAR_DAYS, progress_interval=30
)


def _weekdays(count: int, after: date = START - timedelta(days=1)) -> list[date]:
    days, day = [], after
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _episode(
    documented: list[date], *, reports: tuple[date, ...] = (), as_of: date | None = None
) -> Episode:
    evaluation = EpisodeDocument(START, DocumentType.EVALUATION, AuthorRole.OT)
    notes = [EpisodeDocument(d, DocumentType.TREATMENT, AuthorRole.OTA) for d in documented]
    written = [EpisodeDocument(d, DocumentType.PROGRESS_REPORT, AuthorRole.OT) for d in reports]
    last = max([START, *documented, *reports])
    return Episode(
        discipline=Discipline.OT,
        payer_plan=PayerPlan.MEDICARE_PART_B,
        as_of=as_of or last,
        plan_of_care=PlanOfCare(established_on=START, duration_days=90),
        documents=(evaluation, *notes, *written),
    )


def _mark(episode: Episode, booked: list[date], policy=MEDICARE) -> date | None:  # type: ignore[no-untyped-def]
    return progress_visit_day(
        episode, policy=policy, booked=[BookedVisit(d) for d in booked], markable=booked
    )


def test_nine_treatment_days_done_marks_the_next_booked_visit() -> None:
    days = _weekdays(12)  # the evaluation day and eight more notes make nine treatment days
    episode = _episode(days[1:9])
    assert check_episode(episode, policy=MEDICARE).treatment_days == 9
    assert _mark(episode, days[9:]) == days[9]


def test_the_mark_falls_on_the_tenth_treatment_day_counting_booked_visits() -> None:
    days = _weekdays(14)
    episode = _episode(days[1:5])  # five treatment days documented
    assert _mark(episode, days[5:]) == days[9]


def test_two_visits_on_one_day_make_one_treatment_day() -> None:
    days = _weekdays(12)
    episode = _episode(days[1:8])  # eight treatment days
    booked = [days[8], days[8], days[9], days[10]]
    assert _mark(episode, booked) == days[9]


def test_cancelling_the_marked_visit_moves_the_mark_to_the_next() -> None:
    days = _weekdays(13)
    episode = _episode(days[1:9])
    booked = days[9:]
    assert _mark(episode, booked) == days[9]
    assert _mark(episode, booked[1:]) == days[10]


def test_a_written_report_resets_the_count() -> None:
    days = _weekdays(25)
    episode = _episode(days[1:9], reports=(days[8],))
    assert _mark(episode, days[9:]) == days[9 + 9]  # ten treatment days after the report
    assert _mark(episode, days[9:15]) is None


def test_fewer_booked_visits_than_the_interval_mark_nothing() -> None:
    days = _weekdays(8)
    assert _mark(_episode(days[1:3]), days[3:]) is None


def test_an_overdue_report_marks_the_next_open_visit() -> None:
    days = _weekdays(14)
    episode = _episode(days[1:12])  # twelve treatment days and no report
    assert check_episode(episode, policy=MEDICARE).progress_report.overdue
    assert _mark(episode, days[12:]) == days[12]


def test_a_booked_reevaluation_closes_the_period_before_the_tenth_day() -> None:
    days = _weekdays(14)
    episode = _episode(days[1:6])
    booked = [BookedVisit(days[6], DocumentType.REEVALUATION), *map(BookedVisit, days[7:14])]
    assert report_due_day(episode, policy=MEDICARE, booked=booked) is None


def test_only_markable_visits_carry_the_mark() -> None:
    days = _weekdays(12)
    episode = _episode(days[1:8])
    booked = [BookedVisit(d) for d in days[8:]]
    markable = [d for d in days[8:] if d != days[9]]
    chosen = progress_visit_day(episode, policy=MEDICARE, booked=booked, markable=markable)
    assert chosen == days[10]


def test_a_calendar_day_policy_marks_the_last_visit_before_the_due_date() -> None:
    episode = _episode([])
    booked = [START + timedelta(days=n) for n in (7, 14, 21, 28, 35)]
    # 30 calendar days from 2026-06-01 end on 2026-06-30: the visit of 06-29 is the last before.
    assert _mark(episode, booked, policy=CALENDAR_30) == date(2026, 6, 29)
    assert _mark(episode, booked[-1:], policy=CALENDAR_30) == date(2026, 7, 6)


def test_a_booked_visit_must_be_a_treatment_day() -> None:
    with pytest.raises(ValueError, match="not a discharge"):
        BookedVisit(START, DocumentType.DISCHARGE)


@given(done=st.integers(min_value=0, max_value=9), extra=st.integers(min_value=0, max_value=15))
def test_the_marked_day_is_the_checks_tenth_treatment_day(done: int, extra: int) -> None:
    days = _weekdays(1 + done + extra)  # the evaluation, `done` notes, `extra` booked visits
    episode = _episode(days[1 : 1 + done])
    booked = days[1 + done :]
    chosen = _mark(episode, booked)
    if len(days) < 10 or not booked:
        assert chosen is None
    elif done < 9:
        assert chosen == days[9]
        # Once the visits up to the chosen one are documented, the check itself says so.
        documented = _episode(days[1:10])
        assert check_episode(documented, policy=MEDICARE).progress_report.due_by == chosen
    else:  # the tenth treatment day is documented without a report: the next visit carries it
        assert chosen == booked[0]
