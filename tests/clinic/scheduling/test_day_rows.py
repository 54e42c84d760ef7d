"""The home page's day rows written in Python (`scheduling.day_rows`): escaped as the template
engine escapes, and the actions each row offers."""

import uuid
from dataclasses import replace

from otclinic.clinic.scheduling.day_rows import visit_rows_html
from otclinic.clinic.scheduling.selectors_day import VisitRow

ROW = VisitRow(
    pk=uuid.UUID(int=1),
    time="09:00\N{EN DASH}09:45",
    starts="09:00",
    patient_id=uuid.UUID(int=2),
    patient_name="O'Hara <b>, Ann & Co",
    patient_spoken='Ann "Annie" O\'Hara',
    clinician="Ada Lovelace, OTR/L",
    room="",
    kind="treatment",
    kind_label="Treatment",
    status="scheduled",
    status_label="Scheduled",
    status_css="",
    closed=False,
    progress_report_due=False,
    by_assistant=False,
    episode_id=uuid.UUID(int=3),
    note_id=None,
    detail_url="/schedule/appointments/1/",
    check_in_url="/schedule/appointments/1/check-in/",
    chart_url="/patients/2/",
    note_url="",
    note_start_url="/care/episodes/3/notes/new/",
    evaluation_url="",
)


def _html(row: VisitRow, *, mine: bool = True, can_schedule: bool = True) -> str:
    return str(visit_rows_html([row], mine=mine, can_schedule=can_schedule, csrf_token="t<k>"))


def test_every_value_is_escaped() -> None:
    html = _html(ROW)
    assert "O&#x27;Hara &lt;b&gt;, Ann &amp; Co" in html
    assert 'aria-label="Start the note for Ann &quot;Annie&quot; O&#x27;Hara at 09:00"' in html
    assert 'value="t&lt;k&gt;"' in html and "<b>" not in html
    assert "<td>—</td>" in html  # no room


def test_a_scheduled_visit_offers_check_in_and_the_note_only_as_the_user_may() -> None:
    assert html_count(_html(ROW), "Check in</button>") == 1
    assert "Check in" not in _html(ROW, can_schedule=False)
    assert "Start note" in _html(ROW) and "Start note" not in _html(ROW, mine=False)
    assert "Ada Lovelace" in _html(ROW, mine=False) and "Ada Lovelace" not in _html(ROW)
    started = _html(replace(ROW, note_id=uuid.UUID(int=4), note_url="/care/notes/4/"))
    assert '<a class="button" href="/care/notes/4/">Open note</a>' in started
    assert "Start note" not in started


def test_a_cancelled_visit_is_struck_through_and_offers_nothing() -> None:
    html = _html(replace(ROW, status="cancelled", status_label="Cancelled", closed=True))
    assert '<tr class="muted appt-closed"' in html and "<del>" in html
    assert "Check in" not in html and "Start note" not in html


def test_an_evaluation_without_an_episode_starts_from_the_referral() -> None:
    html = _html(
        replace(
            ROW,
            kind="evaluation",
            kind_label="Evaluation",
            episode_id=None,
            note_start_url="",
            evaluation_url="/patients/2/#ep-h",
        )
    )
    assert 'aria-label="Start the evaluation of Ann' in html
    assert 'O&#x27;Hara at 09:00 from the referral">Start evaluation</a>' in html


def test_a_progress_report_visit_of_an_assistant_says_the_therapist_writes_it() -> None:
    html = _html(replace(ROW, progress_report_due=True, by_assistant=True))
    assert '<span class="badge warn">Progress report due</span>' in html
    assert "the therapist writes it" in html


def html_count(html: str, part: str) -> int:
    return html.count(part)
