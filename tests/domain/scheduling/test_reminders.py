"""Reminder windows, channels and words; elapsed hours, so the DST switch moves nothing."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from otclinic.domain.scheduling.reminders import (
    Channel,
    choose_channel,
    due_window,
    reminder_for,
    reminder_windows,
)

NY = ZoneInfo("America/New_York")
VISIT = datetime(2026, 6, 10, 9, 0, tzinfo=NY)


def test_the_policy_is_48_and_2_hours_before() -> None:
    assert reminder_windows(date(2026, 11, 1)) == (48, 2)


@pytest.mark.parametrize(
    ("before", "window"),
    [
        (timedelta(hours=49), None),
        (timedelta(hours=48, seconds=1), None),
        (timedelta(hours=48), 48),
        (timedelta(hours=30), 48),
        (timedelta(hours=2, seconds=1), 48),
        (timedelta(hours=2), 2),
        (timedelta(minutes=1), 2),
        (timedelta(0), None),
        (-timedelta(minutes=5), None),
    ],
)
def test_the_narrowest_open_window_is_due(before: timedelta, window: int | None) -> None:
    assert due_window(starts_at=VISIT, now=VISIT - before, windows=(48, 2)) == window


def test_the_48_hour_reminder_across_the_autumn_switch_is_48_elapsed_hours() -> None:
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=NY)  # EST; two days earlier was EDT
    fires = datetime(2026, 10, 31, 14, 0, tzinfo=UTC)  # 10:00 EDT, not 09:00
    assert monday - fires == timedelta(hours=48)
    assert due_window(starts_at=monday, now=fires - timedelta(seconds=1), windows=(48, 2)) is None
    assert due_window(starts_at=monday, now=fires, windows=(48, 2)) == 48
    assert (
        due_window(starts_at=monday, now=datetime(2026, 10, 31, 9, 0, tzinfo=NY), windows=(48, 2))
        is None
    )


def test_the_2_hour_reminder_on_the_switch_night_counts_the_repeated_hour() -> None:
    visit = datetime(2026, 11, 1, 3, 0, tzinfo=NY)  # 08:00 UTC, after 01:00-01:59 ran twice
    first_one_thirty = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=0)  # EDT: 2.5 hours before
    second_one_thirty = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=1)  # EST: 1.5 hours before
    assert due_window(starts_at=visit, now=first_one_thirty, windows=(2,)) is None
    assert due_window(starts_at=visit, now=second_one_thirty, windows=(2,)) == 2


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_window(starts_at=VISIT.replace(tzinfo=None), now=VISIT, windows=(2,))


@pytest.mark.parametrize(
    ("email", "phone", "supported", "expected"),
    [
        (
            "a@example.org",
            "555-0100",
            {Channel.EMAIL, Channel.SMS},
            (Channel.EMAIL, "a@example.org"),
        ),
        ("", "555-0100", {Channel.EMAIL, Channel.SMS}, (Channel.SMS, "555-0100")),
        ("a@example.org", "555-0100", {Channel.SMS}, (Channel.SMS, "555-0100")),
        ("", "555-0100", {Channel.EMAIL}, None),
        ("  ", "", {Channel.EMAIL, Channel.SMS}, None),
    ],
)
def test_the_channel_is_the_first_the_sender_can_use(
    email: str, phone: str, supported: set[Channel], expected: tuple[Channel, str] | None
) -> None:
    assert choose_channel(email=email, phone=phone, supported=supported) == expected


def test_the_words_carry_a_first_name_the_clinic_and_the_local_time_only() -> None:
    reminder = reminder_for(
        channel=Channel.EMAIL,
        to="a@example.org",
        first_name="Ana",
        clinic="Riverside",
        local_start=datetime(2026, 11, 2, 9, 5, tzinfo=NY),
    )
    assert reminder.body == (
        "Hello Ana, this is a reminder of your appointment at Riverside on Monday 2 November 2026 "
        "at 9:05 AM (EST). To change or cancel it, please call the clinic."
    )
    assert reminder.subject == "Appointment reminder: Mon 2 Nov, 9:05 AM"
