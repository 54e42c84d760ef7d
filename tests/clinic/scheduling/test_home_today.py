"""The home page's "today" is the schedule: the clinician's own day, the desk's clinic day."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
DASH = "\N{EN DASH}"  # between a visit's start and end
TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def clock(settings: Any) -> Iterator[None]:
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(8), tzinfo=NY), tick=False):
        yield


@pytest.fixture
def episode() -> Any:
    patient = f.PatientFactory(first_name="Odile", last_name="Marchetti")
    return f.EpisodeFactory(patient=patient, started_on=TODAY - dt.timedelta(days=14))


def _at(hour: int, minute: int = 0, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def _visit(of: Any, starts_at: dt.datetime, **kw: Any) -> Appointment:
    values = {
        "patient": of.patient,
        "clinician": of.therapist,
        "clinic": of.clinic,
        "episode": of,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(minutes=45),
    } | kw
    return f.AppointmentFactory(**values)


def _row(page: str, appointment: Appointment) -> str:
    match = re.search(rf'<tr[^>]*id="appt-{appointment.pk}">(.*?)</tr>', page, re.S)
    assert match, f"appointment {appointment.pk} is not on the page"
    return match.group(0)


def _home(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _check_in_exists(appointment: Appointment) -> bool:
    try:
        reverse("scheduling:check-in", args=[appointment.pk])
    except NoReverseMatch:
        return False
    return True


def test_a_clinician_sees_exactly_their_own_appointments_today_in_clinic_time(
    client: Client, episode: Any
) -> None:
    mine = _visit(episode, dt.datetime(2026, 6, 10, 13, 0, tzinfo=dt.UTC))  # 09:00 EDT
    late = _visit(episode, _at(23, 15))  # 03:15 UTC tomorrow, still today at the clinic
    yesterday_evening = _visit(episode, dt.datetime(2026, 6, 10, 0, 30, tzinfo=dt.UTC))
    tomorrow = _visit(episode, _at(9, day=TODAY + dt.timedelta(days=1)))
    colleague = f.StaffProfileFactory(user__organization=episode.organization, user__role="OT")
    theirs = _visit(episode, _at(11), clinician=colleague)
    page = _home(client, episode.therapist.user)
    assert "My schedule today" in page
    assert f"09:00{DASH}09:45" in _row(page, mine)
    assert f"23:15{DASH}00:00" in _row(page, late)
    for absent in (yesterday_evening, tomorrow, theirs):
        assert f"appt-{absent.pk}" not in page
    assert "Marchetti, Odile" in _row(page, mine) and "Treatment" in _row(page, mine)


def test_cancelled_and_no_show_visits_are_struck_through_and_say_so(
    client: Client, episode: Any
) -> None:
    cancelled = _visit(episode, _at(9), status=AppointmentStatus.CANCELLED)
    no_show = _visit(episode, _at(10), status=AppointmentStatus.NO_SHOW)
    open_visit = _visit(episode, _at(11))
    page = _home(client, episode.therapist.user)
    for row, word in ((_row(page, cancelled), "Cancelled"), (_row(page, no_show), "No-show")):
        assert 'class="muted appt-closed"' in row and "<del>" in row
        assert f'<span class="badge err">{word}</span>' in row
        assert "Start note" not in row and "Check in" not in row
    assert "<del>" not in _row(page, open_visit)


def test_the_note_action_starts_a_note_or_opens_the_one_started(
    client: Client, episode: Any
) -> None:
    first = _visit(episode, _at(9))
    page = _home(client, episode.therapist.user)
    assert reverse("note-start", args=[episode.pk]) in _row(page, first)
    note = f.TreatmentNoteFactory(episode=episode, date_of_service=TODAY)
    page = _home(client, episode.therapist.user)
    assert reverse("note-detail", args=[note.pk]) in _row(page, first)
    assert "Start note" not in _row(page, first)


def test_a_visit_without_an_episode_offers_no_note(client: Client, episode: Any) -> None:
    evaluation = _visit(episode, _at(9), episode=None, kind="evaluation")
    row = _row(_home(client, episode.therapist.user), evaluation)
    assert "Evaluation" in row and "Start note" not in row


def test_check_in_is_offered_for_a_scheduled_visit_only(client: Client, episode: Any) -> None:
    scheduled = _visit(episode, _at(9))
    arrived = _visit(episode, _at(10), status=AppointmentStatus.CHECKED_IN)
    page = _home(client, episode.therapist.user)
    if _check_in_exists(scheduled):
        assert reverse("scheduling:check-in", args=[scheduled.pk]) in _row(page, scheduled)
    else:
        assert "Check in" not in _row(page, scheduled)
    assert "Check in" not in _row(page, arrived)
    assert '<span class="badge warn">Checked in</span>' in _row(page, arrived)


def test_the_progress_report_visit_is_marked(client: Client, episode: Any) -> None:
    marked = _visit(episode, _at(9), progress_report_due=True)
    plain = _visit(episode, _at(10))
    page = _home(client, episode.therapist.user)
    assert "Progress report due" in _row(page, marked)
    assert "Progress report due" not in _row(page, plain)


def test_the_front_desk_sees_the_clinics_day_with_every_clinician(
    client: Client, episode: Any
) -> None:
    colleague = f.StaffProfileFactory(user__organization=episode.organization, user__role="OTA")
    ours = _visit(episode, _at(9))
    theirs = _visit(
        episode,
        _at(9),
        clinician=colleague,
        patient=f.PatientFactory(organization=episode.organization),
        episode=None,
    )
    other_org = f.AppointmentFactory(starts_at=_at(9), ends_at=_at(10))
    desk = f.staff_user(organization=episode.organization, role="front_desk")
    page = _home(client, desk)
    assert "Clinic schedule today" in page and "My schedule today" not in page
    assert str(episode.therapist) in _row(page, ours)
    assert str(colleague) in _row(page, theirs)
    assert f"appt-{other_org.pk}" not in page
    assert "Start note" not in page
    if _check_in_exists(ours):
        assert reverse("scheduling:check-in", args=[ours.pk]) in _row(page, ours)


def test_the_day_follows_the_clinic_clock_not_utc(client: Client, episode: Any) -> None:
    # At 21:00 in New York it is already tomorrow in UTC; the home page still shows today.
    evening = _visit(episode, _at(20, 30))
    with time_machine.travel(_at(21), tick=False):
        assert timezone.now().astimezone(dt.UTC).date() == TODAY + dt.timedelta(days=1)
        page = _home(client, episode.therapist.user)
    assert f"20:30{DASH}21:15" in _row(page, evening)


def test_a_student_who_may_not_schedule_is_offered_no_check_in(
    client: Client, episode: Any
) -> None:
    student = f.StaffProfileFactory(user__organization=episode.organization, user__role="student")
    visit = _visit(episode, _at(9), clinician=student)
    row = _row(_home(client, student.user), visit)
    assert "Check in" not in row and "Start note" in row


def test_an_assistants_progress_report_visit_says_the_therapist_writes_it(
    client: Client, episode: Any
) -> None:
    ota = f.StaffProfileFactory(user__organization=episode.organization, user__role="OTA")
    theirs = _visit(episode, _at(9), clinician=ota, progress_report_due=True)
    mine = _visit(episode, _at(10), progress_report_due=True)
    assert "the therapist writes it" in _row(_home(client, ota.user), theirs)
    assert "the therapist writes it" not in _row(_home(client, episode.therapist.user), mine)


def test_the_read_entry_names_the_patient_of_every_visit_listed(
    client: Client, episode: Any
) -> None:
    # The rows are read as columns (no patient row is loaded): the page says whom it showed.
    other = _visit(episode, _at(11), patient=f.PatientFactory(organization=episode.organization))
    _visit(episode, _at(9))
    desk = f.staff_user(organization=episode.organization, role="front_desk")
    _home(client, desk)
    (entry,) = AuditEvent.objects.filter(action=AuditAction.VIEW)
    assert sorted(entry.object_ids) == sorted({str(episode.patient_id), str(other.patient_id)})
    assert "schedule" in entry.detail
