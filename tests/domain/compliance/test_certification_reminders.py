"""The certification reminder schedule: the 30-day window (BPM 220.1.3) and the clinic's days."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.compliance.certification_reminders import (
    ReminderPolicy,
    StepKind,
    default_rules,
    initial_deadline,
    next_step,
    reminder_schedule,
    step_due,
)
from otclinic.domain.compliance.episode_certification import SIGNATURE_WINDOW

D = date
POLICY = ReminderPolicy(D(2020, 1, 1), (7, 14), 5, "test policy")
EVALUATED = D(2026, 1, 12)
DEADLINE = D(2026, 2, 11)  # 30 days after the evaluation


def test_the_rule_files_window_is_the_episode_checks_30_days() -> None:
    assert timedelta(days=default_rules().signature_window_days) == SIGNATURE_WINDOW
    assert "220.1.3" in default_rules().window_citation


def test_the_initial_deadline_is_30_days_after_the_evaluation() -> None:
    assert initial_deadline(EVALUATED) == DEADLINE


def test_the_shipped_policy_reminds_at_7_and_14_days_and_escalates_5_days_before() -> None:
    policy = default_rules().policy_on(D(2026, 1, 12))
    assert policy.remind_after_sent_days == (7, 14)
    assert policy.escalate_days_before_deadline == 5


def test_no_policy_before_the_first_entry_is_an_error() -> None:
    with pytest.raises(ValueError, match="no certification reminder policy"):
        default_rules().policy_on(D(2019, 12, 31))


@pytest.mark.parametrize(
    ("sent_on", "expected"),
    [
        # Sent the day of the evaluation: 7 and 14 days later, then the call on day 25.
        (
            D(2026, 1, 12),
            [
                (D(2026, 1, 19), "reminder"),
                (D(2026, 1, 26), "reminder"),
                (D(2026, 2, 6), "escalation"),
            ],
        ),
        # Sent on day 14: the 14-day reminder would fall after the call, so it is left out.
        (D(2026, 1, 26), [(D(2026, 2, 2), "reminder"), (D(2026, 2, 6), "escalation")]),
        # Sent on day 20: the 7-day reminder (2/9) comes after the call (2/6): only the call.
        (D(2026, 2, 1), [(D(2026, 2, 6), "escalation")]),
        # Sent after the call day but before the deadline: reminders that still fit.
        (D(2026, 2, 8), []),
        (D(2026, 2, 4), [(D(2026, 2, 6), "escalation")]),
        # Sent after the deadline: nothing (the episode check says overdue).
        (D(2026, 2, 20), []),
    ],
)
def test_the_schedule_follows_the_table(sent_on: date, expected: list[tuple[date, str]]) -> None:
    schedule = reminder_schedule(sent_on=sent_on, deadline=DEADLINE, policy=POLICY)
    assert [(s.due_on, s.kind.value) for s in schedule] == expected
    assert [s.number for s in schedule] == list(range(1, len(expected) + 1))


def test_without_an_escalation_the_reminders_run_up_to_the_deadline() -> None:
    policy = ReminderPolicy(D(2020, 1, 1), (7, 14, 21, 28, 35), None, "no calls")
    schedule = reminder_schedule(sent_on=EVALUATED, deadline=DEADLINE, policy=policy)
    assert [s.due_on for s in schedule] == [EVALUATED + timedelta(days=n) for n in (7, 14, 21, 28)]
    assert all(s.kind is StepKind.REMINDER for s in schedule)


SCHEDULE = reminder_schedule(sent_on=EVALUATED, deadline=DEADLINE, policy=POLICY)


@pytest.mark.parametrize(
    ("last_sent", "as_of", "due"),
    [
        (0, D(2026, 1, 18), None),  # before the first reminder
        (0, D(2026, 1, 19), 1),
        (1, D(2026, 1, 19), None),  # sent today already
        (1, D(2026, 1, 25), None),
        (1, D(2026, 1, 26), 2),
        (0, D(2026, 1, 30), 2),  # missed the first: the latest due one stands for both
        (2, D(2026, 2, 6), 3),
        (3, D(2026, 2, 11), None),  # everything sent
        (0, D(2026, 3, 1), 3),
    ],
)
def test_the_step_due_on_a_day(last_sent: int, as_of: date, due: int | None) -> None:
    step = step_due(SCHEDULE, last_step_sent=last_sent, as_of=as_of)
    assert (step.number if step else None) == due


def test_the_next_step_is_the_first_not_sent() -> None:
    step = next_step(SCHEDULE, last_step_sent=1)
    assert step is not None and step.due_on == D(2026, 1, 26)
    assert next_step(SCHEDULE, last_step_sent=3) is None


days_after = st.integers(min_value=0, max_value=60)
policies = st.builds(
    ReminderPolicy,
    st.just(D(2020, 1, 1)),
    st.lists(st.integers(min_value=-3, max_value=45), max_size=6).map(tuple),
    st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    st.just("generated"),
)


@given(
    sent_offset=st.integers(min_value=-10, max_value=60),
    window=st.integers(min_value=0, max_value=120),
    policy=policies,
)
def test_steps_are_in_order_after_sending_and_never_after_the_deadline(
    sent_offset: int, window: int, policy: ReminderPolicy
) -> None:
    sent_on = EVALUATED + timedelta(days=sent_offset)
    deadline = EVALUATED + timedelta(days=window)
    schedule = reminder_schedule(sent_on=sent_on, deadline=deadline, policy=policy)
    dates = [s.due_on for s in schedule]
    assert dates == sorted(set(dates))  # in order, one a day at most
    assert all(sent_on < d <= deadline for d in dates)
    assert [s.number for s in schedule] == list(range(1, len(schedule) + 1))
    escalations = [s for s in schedule if s.kind is StepKind.ESCALATION]
    assert len(escalations) <= 1
    if escalations:
        assert schedule[-1] == escalations[0]


@given(last_sent=st.integers(min_value=0, max_value=4), offset=days_after)
def test_the_step_due_is_never_one_already_sent_nor_one_still_ahead(
    last_sent: int, offset: int
) -> None:
    as_of = EVALUATED + timedelta(days=offset)
    step = step_due(SCHEDULE, last_step_sent=last_sent, as_of=as_of)
    if step is not None:
        assert step.number > last_sent
        assert step.due_on <= as_of
        later = [s for s in SCHEDULE if s.number > step.number]
        assert all(s.due_on > as_of for s in later)
