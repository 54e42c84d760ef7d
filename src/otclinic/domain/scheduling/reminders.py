"""Appointment reminders: when one is due, by which channel, and what it says.

The windows (48 and 2 hours before) are the practice's policy, a dated parameter in
`rules/appointment_reminder_windows.yaml`. A window is elapsed time before the appointment's
instant, so a daylight-saving switch neither moves the appointment nor the reminder's instant.
A reminder carries what the patient needs to come: their first name, the clinic and the local
date and time; never a diagnosis, the kind of visit or the clinician.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from otclinic.domain.billing.parameters import DatedParameter, load_parameter

WINDOWS_FILE = (
    Path(__file__).resolve().parent.parent / "rules" / "appointment_reminder_windows.yaml"
)


class Channel(StrEnum):
    """How a reminder reaches the patient, in the order tried when both are on file."""

    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder to send: where to, and the words (no PHI beyond a first name and a time)."""

    channel: Channel
    to: str
    subject: str
    body: str


@lru_cache(maxsize=1)
def _windows() -> DatedParameter:
    return load_parameter(WINDOWS_FILE)


def reminder_windows(day: date) -> tuple[int, ...]:
    """The reminder windows in force on `day`, in hours before the appointment, longest first."""
    entry = _windows().entry_on(day)
    return tuple(sorted((int(h) for h in entry.value), reverse=True)) if entry else ()


def due_window(*, starts_at: datetime, now: datetime, windows: Iterable[int]) -> int | None:
    """The narrowest window that `now` falls in before `starts_at`, or None.

    With windows 48 and 2: 30 hours before is in the 48-hour window, 90 minutes before in the
    2-hour one, 49 hours before or once the appointment has begun in none.
    """
    if starts_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("reminder times must be timezone-aware")
    # In UTC: Python subtracts two times of the same zone by their wall clocks, which is off by
    # an hour across a daylight-saving switch.
    left = starts_at.astimezone(UTC) - now.astimezone(UTC)
    if left <= timedelta(0):
        return None
    inside = [w for w in windows if left <= timedelta(hours=w)]
    return min(inside) if inside else None


def choose_channel(
    *, email: str, phone: str, supported: Iterable[Channel]
) -> tuple[Channel, str] | None:
    """The first channel the sender supports for which the patient gave an address."""
    addresses = {Channel.EMAIL: email.strip(), Channel.SMS: phone.strip()}
    can = frozenset(supported)
    for channel in Channel:
        if channel in can and addresses[channel]:
            return channel, addresses[channel]
    return None


def _clock(moment: datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0")


def reminder_for(
    *, channel: Channel, to: str, first_name: str, clinic: str, local_start: datetime
) -> Reminder:
    """The reminder's words, with the start given in the clinic's local time."""
    day = f"{local_start:%A} {local_start.day} {local_start:%B %Y}"
    when = f"{day} at {_clock(local_start)} ({local_start:%Z})"
    body = (
        f"Hello {first_name}, this is a reminder of your appointment at {clinic} on {when}. "
        "To change or cancel it, please call the clinic."
    )
    subject = f"Appointment reminder: {local_start:%a} {local_start.day} {local_start:%b}, "
    return Reminder(channel, to, subject + _clock(local_start), body)
