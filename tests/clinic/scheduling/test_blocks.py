"""A visit's block on the calendar, written in Python (scheduling/blocks.py): every value from
a record escaped, the status and the eligibility answer in words, nothing for what is absent."""

import datetime as dt
import uuid

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import Episode
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.scheduling.blocks import block_html
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus, Room
from otclinic.clinic.staff.models import StaffProfile
from tests.clock import now


def _link(key: object) -> str:
    return f"/visit/{key}/"


def _visit(**fields: object) -> Appointment:
    user = User(first_name="Ana <b>", last_name="O'Neil", username="ana")
    start = now()
    visit = Appointment(
        pk=uuid.UUID(int=7),
        patient=Patient(first_name="Tom & Jerry", last_name="<script>x</script>"),
        clinician=StaffProfile(user=user, credentials="OTR/L"),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=45),
        kind="treatment",
        status=AppointmentStatus.SCHEDULED,
    )
    for name, value in fields.items():
        setattr(visit, name, value)
    return visit


def test_every_name_from_a_record_is_escaped() -> None:
    html = block_html(_visit(room=Room(name="Gym & <pool>")), _link)
    assert "&lt;script&gt;x&lt;/script&gt;, Tom &amp; Jerry" in html
    assert "Ana &lt;b&gt; O&#x27;Neil" in html
    assert "· Gym &amp; &lt;pool&gt;" in html
    assert "<script>" not in html and "<b>" not in html
    assert f'href="/visit/{uuid.UUID(int=7)}/"' in html
    assert "10:00\N{EN DASH}10:45" in html


def test_the_status_and_the_progress_mark_are_in_words() -> None:
    assert "✕ No-show" in block_html(_visit(status=AppointmentStatus.NO_SHOW), _link)
    assert '<span class="badge">Scheduled</span>' in block_html(_visit(), _link)
    due = block_html(_visit(progress_report_due=True), _link)
    assert "Progress report due" in due
    assert "Progress report due" not in block_html(_visit(), _link)


def test_no_room_and_no_coverage_show_nothing() -> None:
    html = block_html(_visit(), _link)
    assert " · Gym" not in html and "Eligib" not in html


def test_the_eligibility_answer_is_shown_with_the_day_it_was_read() -> None:
    def on(active: bool | None, checked: dt.datetime | None) -> str:
        coverage = Coverage(
            eligibility_active=active, eligibility_checked_at=checked, eligibility_summary="PPO <1>"
        )
        return block_html(_visit(episode=Episode(coverage=coverage)), _link)

    checked = now() - dt.timedelta(days=2)
    assert "✓ Eligible" in on(True, checked)
    assert "✕ Not eligible" in on(False, checked)
    assert "? Eligibility not answered" in on(None, checked)
    assert "PPO &lt;1&gt; <small>(checked Dec 1)</small>" in on(True, checked)
    assert "Eligibility not checked" in on(True, None)
