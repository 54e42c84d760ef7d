from datetime import UTC, datetime, timedelta, timezone

import pytest

from otclinic.domain.scheduling.authorization import authorization_problem
from otclinic.domain.scheduling.icalendar import CalendarEvent, fold, render_calendar


def test_visit_13_of_12_authorized_is_refused_with_the_count() -> None:
    problem = authorization_problem(authorized=12, used=12)
    assert problem is not None
    assert problem.startswith("visit 13 of 12 authorized")
    assert "12 are already booked or completed" in problem


@pytest.mark.parametrize(("authorized", "used"), [(12, 11), (None, 40), (1, 0)])
def test_a_visit_within_the_authorization_is_allowed(authorized: int | None, used: int) -> None:
    assert authorization_problem(authorized=authorized, used=used) is None


def test_a_batch_names_the_visits_past_the_limit() -> None:
    assert authorization_problem(authorized=12, used=10, adding=4).startswith("visits 11-14 of 12")


EASTERN = timezone(timedelta(hours=-4))


def _event(**kw: object) -> CalendarEvent:
    values: dict = {
        "uid": "abc@otclinic",
        "starts_at": datetime(2026, 6, 1, 9, 0, tzinfo=EASTERN),
        "ends_at": datetime(2026, 6, 1, 9, 45, tzinfo=EASTERN),
        "stamp": datetime(2026, 5, 1, tzinfo=UTC),
        "summary": "Patient visit (Treatment)",
        "location": "Main St; Gym, 2",
    }
    return CalendarEvent(**(values | kw))


def test_the_feed_is_crlf_lines_with_utc_times() -> None:
    text = render_calendar([_event()], name="Schedule")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert "UID:abc@otclinic" in lines
    assert "DTSTART:20260601T130000Z" in lines
    assert "DTEND:20260601T134500Z" in lines
    assert "LOCATION:Main St\\; Gym\\, 2" in lines
    assert "STATUS:CONFIRMED" in lines


def test_a_cancelled_visit_is_published_as_cancelled() -> None:
    assert "STATUS:CANCELLED\r\n" in render_calendar([_event(cancelled=True)], name="S")


def test_long_lines_fold_at_75_octets() -> None:
    line = "SUMMARY:" + "é" * 80
    folded = fold(line).split("\r\n")
    assert all(len(part.encode()) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        render_calendar([_event(starts_at=datetime(2026, 6, 1, 9))], name="S")
