"""The scheduled certification reminders, the plan page's follow-up and the OT's due list."""

import datetime as dt
import io
import re
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner
from django.test import Client
from pypdf import PdfReader

from otclinic.cli import cli
from otclinic.clinic.care.models import CertificationReminder, CertificationRequest
from otclinic.clinic.care.selectors_certification import due_certification_reminders
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services.clinical.certification_reminders import (
    certification_reminders_send,
)
from tests.clinic import factories as f
from tests.clinic.care.clinical.conftest import DAY1, Practice, signed_plan

SENT = DAY1 + dt.timedelta(days=2)  # 2026-01-14
DEADLINE = DAY1 + dt.timedelta(days=30)  # 2026-02-11
HTMX = {"HTTP_HX_REQUEST": "true"}


def sent_request(p: Practice) -> CertificationRequest:
    return svc.certification_request_send(user=p.ot, plan=signed_plan(p), sent_on=SENT)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("days_after_sending", "steps"),
    [(6, []), (7, [1]), (13, [1]), (14, [1, 2]), (22, [1, 2])],
)
def test_the_command_sends_each_step_once_on_its_day(
    practice: Practice, days_after_sending: int, steps: list[int]
) -> None:
    request = sent_request(practice)
    for offset in range(1, days_after_sending + 1):
        certification_reminders_send(today=SENT + dt.timedelta(days=offset))
    assert [r.step for r in request.reminders.all()] == steps


def test_the_escalation_is_sent_5_days_before_the_deadline_and_nothing_after(
    practice: Practice,
) -> None:
    request = sent_request(practice)
    day = SENT
    while day <= DEADLINE + dt.timedelta(days=10):
        certification_reminders_send(today=day)
        day += dt.timedelta(days=1)
    reminders = list(request.reminders.all())
    assert [(r.step, r.sent_on, r.escalation) for r in reminders] == [
        (1, SENT + dt.timedelta(days=7), False),
        (2, SENT + dt.timedelta(days=14), False),
        (3, DEADLINE - dt.timedelta(days=5), True),
    ]
    assert all(r.sent_by is None for r in reminders)


def test_a_reminder_re_sends_the_cover_sheet_marked_reminder(practice: Practice) -> None:
    request = sent_request(practice)
    (reminder,) = certification_reminders_send(today=SENT + dt.timedelta(days=7))
    document = reminder.document
    assert document is not None and document.pk != request.document_id
    assert document.title.startswith("Reminder: plan of care v1")
    cover = PdfReader(io.BytesIO(document.file.read())).pages[0].extract_text()
    assert "Reminder 1: please sign and return by February 11, 2026" in cover
    assert "request for certification" in cover


def test_running_twice_on_a_day_sends_nothing_the_second_time(practice: Practice) -> None:
    sent_request(practice)
    day = SENT + dt.timedelta(days=7)
    assert len(certification_reminders_send(today=day)) == 1
    assert certification_reminders_send(today=day) == []
    assert CertificationReminder.objects.count() == 1


def test_a_reminder_recorded_by_hand_today_stands_for_the_scheduled_one(
    practice: Practice,
) -> None:
    request = sent_request(practice)
    day = SENT + dt.timedelta(days=7)
    svc.certification_reminder_record(user=practice.desk, request=request, sent_on=day)
    assert due_certification_reminders(as_of=day) == []
    assert certification_reminders_send(today=day) == []


def test_signed_or_refused_requests_get_no_reminders(practice: Practice) -> None:
    request = sent_request(practice)
    svc.certification_request_refuse(
        user=practice.desk, request=request, refused_on=SENT, reason="Not my patient."
    )
    assert certification_reminders_send(today=SENT + dt.timedelta(days=7)) == []


def test_the_command_lists_and_sends_and_is_idempotent(practice: Practice) -> None:
    request = sent_request(practice)
    day = (SENT + dt.timedelta(days=7)).isoformat()
    listed = CliRunner().invoke(cli, ["care", "certification-reminders", "--date", day, "--list"])
    assert listed.exit_code == 0, listed.output
    assert f"request {request.pk}" in listed.output
    assert listed.output.splitlines()[-1] == f"1 certification reminder(s) due on {day}"
    assert not CertificationReminder.objects.exists()
    first = CliRunner().invoke(cli, ["care", "certification-reminders", "--date", day])
    again = CliRunner().invoke(cli, ["care", "certification-reminders", "--date", day])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == f"1 certification reminder(s) sent for {day}"
    assert again.output.splitlines()[-1] == f"0 certification reminder(s) sent for {day}"
    # No names on the terminal: ids and dates only.
    assert practice.patient.last_name not in first.output + listed.output
    assert practice.physician.last_name not in first.output + listed.output


def test_the_plan_page_shows_the_status_and_the_next_reminder(practice: Practice) -> None:
    request = sent_request(practice)
    with at(SENT + dt.timedelta(days=3)):
        body = client_for(practice.desk).get(f"/care/plans/{request.plan_id}/").content.decode()
    assert "Sent</span>" in body
    assert "signature due by <strong>Feb. 11, 2026</strong>" in body
    assert "Next: reminder 1 on Jan. 21, 2026." in body
    assert "Record reminder sent" in body and "Record refused" in body


def test_the_front_desk_records_a_reminder_from_the_plan_page(practice: Practice) -> None:
    request = sent_request(practice)
    day = SENT + dt.timedelta(days=7)
    with at(day):
        response = client_for(practice.desk).post(
            f"/care/plans/{request.plan_id}/certification/reminder/",
            {
                "reminder-request": str(request.pk),
                "reminder-sent_on": day.isoformat(),
                "reminder-channel": "",
                "reminder-note": "Called the office",
            },
            **HTMX,
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="certification"' in body and "<html" not in body  # the partial
    assert "Reminder 1 on Jan. 21, 2026 (fax) by" in body
    request.refresh_from_db()
    assert request.status == "reminded"


def test_a_refusal_without_a_reason_answers_422_naming_the_field(practice: Practice) -> None:
    request = sent_request(practice)
    with at(SENT):
        response = client_for(practice.ot).post(
            f"/care/plans/{request.plan_id}/certification/refusal/",
            {"refuse-request": str(request.pk), "refuse-refused_on": SENT.isoformat()},
            **HTMX,
        )
    assert response.status_code == 422
    assert "Physician&#x27;s reason: This field is required." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "sent"


def test_a_recorded_refusal_shows_on_the_plan_page_with_the_reason(practice: Practice) -> None:
    request = sent_request(practice)
    with at(SENT + dt.timedelta(days=4)):
        client = client_for(practice.desk)
        response = client.post(
            f"/care/plans/{request.plan_id}/certification/refusal/",
            {
                "refuse-request": str(request.pk),
                "refuse-refused_on": (SENT + dt.timedelta(days=4)).isoformat(),
                "refuse-reason": "Wants a cardiology review first.",
            },
        )
        assert response.status_code == 302
        body = client.get(f"/care/plans/{request.plan_id}/").content.decode()
    assert "Refused</span>" in body
    assert "Wants a cardiology review first." in body
    assert "Record refused" not in body  # nothing left open


def test_the_biller_may_not_record_a_reminder(practice: Practice) -> None:
    request = sent_request(practice)
    response = client_for(practice.biller).post(
        f"/care/plans/{request.plan_id}/certification/reminder/",
        {"reminder-request": str(request.pk), "reminder-sent_on": SENT.isoformat()},
    )
    assert response.status_code == 403
    assert not CertificationReminder.objects.exists()


def test_another_organizations_request_id_answers_404_and_changes_nothing(
    practice: Practice,
) -> None:
    request = sent_request(practice)
    other_org = f.OrganizationFactory()
    other_ot = f.staff_user(organization=other_org, role="OT")
    other_plan = f.PlanOfCareFactory(episode=f.EpisodeFactory(patient__organization=other_org))
    response = client_for(other_ot).post(
        f"/care/plans/{other_plan.pk}/certification/refusal/",
        {
            "refuse-request": str(request.pk),
            "refuse-refused_on": SENT.isoformat(),
            "refuse-reason": "Mallory",
        },
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "sent"


def test_the_ots_home_lists_the_reminder_due_until_it_is_sent(practice: Practice) -> None:
    request = sent_request(practice)
    due_day = SENT + dt.timedelta(days=7)
    client = client_for(practice.ot)
    with at(due_day - dt.timedelta(days=1)):
        assert "Certification reminder 1" not in client.get("/").content.decode()
    with at(due_day):
        body = client.get("/").content.decode()
        assert re.search(r"Remind</span>.*Certification reminder 1 to", body, re.S)
        certification_reminders_send(today=due_day)
        assert "Certification reminder 1" not in client.get("/").content.decode()
    assert request.reminders.count() == 1


def test_the_ots_home_lists_an_unanswered_refusal(practice: Practice) -> None:
    request = sent_request(practice)
    svc.certification_request_refuse(
        user=practice.desk, request=request, refused_on=SENT, reason="Not my patient."
    )
    with at(SENT + dt.timedelta(days=1)):
        body = client_for(practice.ot).get("/").content.decode()
    assert "refused to certify plan v1" in body


def test_a_refusal_followed_by_a_new_request_leaves_the_ots_home(practice: Practice) -> None:
    client = client_for(practice.ot)
    with at(SENT):
        refused = sent_request(practice)
        svc.certification_request_refuse(
            user=practice.desk, request=refused, refused_on=SENT, reason="Not my patient."
        )
    with at(SENT + dt.timedelta(days=1)):
        assert "refused to certify" in client.get("/").content.decode()
        svc.certification_request_send(
            user=practice.ot, plan=refused.plan, sent_on=SENT + dt.timedelta(days=1)
        )
        body = client.get("/").content.decode()
    assert "refused to certify" not in body
    # The new request is open, its first reminder a week away: nothing else is listed for it.
    assert "Certification reminder" not in body


def test_each_scheduled_reminder_gives_the_plans_ot_a_task_to_call_the_office(
    practice: Practice,
) -> None:
    from otclinic.clinic.messaging.models import Task

    request = sent_request(practice)
    day = SENT + dt.timedelta(days=7)
    with at(day):
        certification_reminders_send(today=day)
        certification_reminders_send(today=day)
    task = Task.objects.get()
    physician = practice.physician
    assert task.title == (
        f"Call Dr {physician.first_name} {physician.last_name}'s office for the plan signature"
    )
    assert task.assignee == practice.episode.therapist.user
    assert (task.patient, task.due_on, task.status) == (practice.patient, DEADLINE, "open")
    assert task.created_by == request.sent_by
