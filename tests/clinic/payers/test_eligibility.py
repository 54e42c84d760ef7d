"""Eligibility for tomorrow's schedule: one 270 per payer (valid for linuxforhealth-x12), asked
once per coverage and day, and the 271's answer in words on the coverage, the chart and the day."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otclinic.clinic.payers import eligibility as elig
from otclinic.clinic.payers.models import EligibilityFile, EligibilityRequest
from tests import clock
from tests.clinic import factories as f
from tests.clinic.revenue.claims.builders import Billing, billing_practice

pytestmark = pytest.mark.django_db

SAMPLE_271 = Path(__file__).parents[2] / "data" / "x12" / "271"


def _booked_tomorrow(b: Billing) -> Any:
    tomorrow = clock.TODAY + dt.timedelta(days=1)
    starts = dt.datetime.combine(tomorrow, dt.time(9, 0), tzinfo=timezone.get_current_timezone())
    return f.AppointmentFactory(
        patient=b.patient, clinician=b.ot, episode=b.episode, starts_at=starts
    )


@pytest.fixture
def b() -> Billing:
    practice = billing_practice()
    practice.episode.coverage = practice.coverage
    practice.episode.save()
    return practice


@pytest.fixture
def desk(b: Billing) -> Any:
    return f.UserFactory(organization=b.org, role="front_desk")


def test_tomorrows_visits_are_asked_about_once_in_a_270_the_payer_can_read(
    b: Billing, desk: Any, tmp_path: Path
) -> None:
    from tests.domain.claims.clearinghouse.lfh import lfh_validate

    _booked_tomorrow(b)
    run = elig.eligibility_inquire_for_day(user=desk, day=clock.TODAY + dt.timedelta(days=1))
    assert (run.asked, run.already_asked, run.problems) == (1, 0, [])
    [record] = run.files
    text = record.file.read().decode()
    [request] = EligibilityRequest.objects.all()
    assert f"TRN*1*{request.trace_number}*1{b.org.tax_id}" in text
    assert f"NM1*IL*1*{b.patient.last_name.upper()}" in text.upper()
    lfh_validate(tmp_path, [text], "270")
    again = elig.eligibility_inquire_for_day(user=desk, day=clock.TODAY + dt.timedelta(days=1))
    assert (again.asked, again.already_asked, again.files) == (0, 1, [])
    assert EligibilityFile.objects.count() == 1


def _answer_for(request: EligibilityRequest) -> bytes:
    sample = (SAMPLE_271 / "lfh__subscriber-health-benefit-check.271").read_text()
    return sample.replace("TRN*2*93175-012547*", f"TRN*2*{request.trace_number}*").encode()


def test_the_271_answer_lands_on_the_coverage_in_words_once(b: Billing, desk: Any) -> None:
    _booked_tomorrow(b)
    elig.eligibility_inquire_for_day(user=desk, day=clock.TODAY + dt.timedelta(days=1))
    request = EligibilityRequest.objects.get()
    run = elig.eligibility_import_271(user=desk, data=_answer_for(request))
    assert [r.pk for r in run.answered] == [request.pk] and run.unmatched == []
    b.coverage.refresh_from_db()
    assert b.coverage.eligibility_active is True
    assert b.coverage.eligibility_summary.startswith("Active; GOLD 123 PLAN")
    assert "copay $10.00" in b.coverage.eligibility_summary
    again = elig.eligibility_import_271(user=desk, data=_answer_for(request))
    assert again.already_imported


def test_a_271_for_someone_we_did_not_ask_about_is_listed_not_guessed(
    b: Billing, desk: Any
) -> None:
    data = (SAMPLE_271 / "lfh__subscriber-health-benefit-check.271").read_bytes()
    run = elig.eligibility_import_271(user=desk, data=data)
    assert run.answered == [] and run.unmatched == ["93175-012547"]


def test_a_damaged_271_is_refused_in_one_line(desk: Any) -> None:
    with pytest.raises(elig.EligibilityError, match="segment"):
        elig.eligibility_import_271(user=desk, data=b"ISA*00*~ST*271*1~EB*1~")
    assert not EligibilityFile.objects.exists()


def test_the_desk_asks_from_the_page_and_sees_the_answer_on_the_chart(
    client: Client, b: Billing, desk: Any
) -> None:
    _booked_tomorrow(b)
    client.force_login(desk)
    page = client.get("/eligibility/")
    assert page.status_code == 200
    answer = client.post("/eligibility/inquire/", {"day": str(clock.TODAY + dt.timedelta(1))})
    assert answer.status_code == 200
    assert "1 coverage asked about" in answer.content.decode()
    request = EligibilityRequest.objects.get()
    record = request.sent_in
    download = client.get(f"/eligibility/files/{record.pk}/")
    assert b"ST*270*" in b"".join(download.streaming_content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("answer.271", _answer_for(request))
    answer = client.post("/eligibility/answers/", {"file": upload})
    assert answer.status_code == 200 and "1 answer" in answer.content.decode()
    chart = client.get(f"/patients/{b.patient.pk}/").content.decode()
    assert "Active; GOLD 123 PLAN" in chart


def test_a_therapist_cannot_send_inquiries(client: Client, b: Billing) -> None:
    client.force_login(f.staff_user(organization=b.org, role="OT"))
    day = str(clock.TODAY + dt.timedelta(1))
    assert client.post("/eligibility/inquire/", {"day": day}).status_code == 403


def _day_calendar(client: Client, day: dt.date, clinician: Any) -> str:
    page = client.get(f"/schedule/?day={day.isoformat()}&clinician={clinician.pk}")
    assert page.status_code == 200
    return page.content.decode()


def test_one_click_on_the_day_calendar_asks_about_tomorrow_and_the_answer_shows_on_the_visit(
    client: Client, b: Billing, desk: Any
) -> None:
    tomorrow = clock.TODAY + dt.timedelta(days=1)
    _booked_tomorrow(b)
    client.force_login(desk)
    today_page = _day_calendar(client, clock.TODAY, b.ot)
    assert "Check eligibility for tomorrow" in today_page
    assert f'name="day" value="{tomorrow.isoformat()}"' in today_page
    assert "Eligibility not checked" in _day_calendar(client, tomorrow, b.ot)
    asked = client.post("/eligibility/inquire/", {"day": tomorrow.isoformat()})
    assert asked.status_code == 200 and "1 coverage asked about" in asked.content.decode()
    request = EligibilityRequest.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        "/eligibility/answers/", {"file": SimpleUploadedFile("a.271", _answer_for(request))}
    )
    row = _day_calendar(client, tomorrow, b.ot)
    assert "✓ Eligible" in row and "GOLD 123 PLAN" in row and "copay $10.00" in row
    assert f"(checked {clock.TODAY:%b} {clock.TODAY.day})" in row


def test_a_clinician_sees_the_answer_but_not_the_button(client: Client, b: Billing) -> None:
    _booked_tomorrow(b)
    client.force_login(b.ot.user)
    page = _day_calendar(client, clock.TODAY + dt.timedelta(days=1), b.ot)
    assert "Eligibility not checked" in page
    assert "Check eligibility for tomorrow" not in page


def test_the_answers_on_the_calendar_cost_no_query_per_visit(
    client: Client, b: Billing, desk: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tomorrow = clock.TODAY + dt.timedelta(days=1)
    client.force_login(desk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _day_calendar(client, tomorrow, b.ot)
        return len(captured)

    _booked_tomorrow(b)
    one = queries()
    for hour in (11, 13, 15):
        other = f.PatientFactory(organization=b.org)
        coverage = f.CoverageFactory(patient=other, payer=b.payer, member_id="1EG4TE5MK73")
        coverage.eligibility_checked_at = timezone.now()
        coverage.eligibility_active = False
        coverage.eligibility_summary = "Not active"
        coverage.save()
        episode = f.EpisodeFactory(patient=other, therapist=b.ot, coverage=coverage)
        starts = dt.datetime.combine(
            tomorrow, dt.time(hour), tzinfo=timezone.get_current_timezone()
        )
        f.AppointmentFactory(patient=other, clinician=b.ot, episode=episode, starts_at=starts)
    assert queries() == one
    assert _day_calendar(client, tomorrow, b.ot).count("✕ Not eligible") == 3
