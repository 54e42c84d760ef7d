"""An iCalendar (RFC 5545) feed of appointments, with no patient identity in it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
_MAX_OCTETS = 75  # RFC 5545 sec. 3.1: lines longer than this are folded


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One appointment as a calendar sees it: a time, a place and a PHI-free summary."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    summary: str
    location: str = ""
    cancelled: bool = False


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form (RFC 5545 sec. 3.3.5, form #2)."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 sec. 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, continuations starting with a space."""
    parts: list[str] = []
    current, size = "", 0
    limit = _MAX_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, _MAX_OCTETS
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def _event_lines(event: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: Iterable[CalendarEvent], *, name: str) -> str:
    """The whole VCALENDAR object, every line ending in CRLF."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//otclinic//schedule//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
