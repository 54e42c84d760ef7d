"""Certification requests: sent with a channel and the 30-day deadline, reminded on the schedule,
signed through the certification service or refused with the physician's reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from otclinic.clinic.care.models import (
    CertificationKind,
    CertificationReminder,
    CertificationRequest,
    EpisodeDocument,
)
from otclinic.clinic.care.selectors_certification import follow_up_for
from otclinic.clinic.care.selectors_clinical import episode_check_for, reload_episode
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.compliance.episode_model import CertificationStatus
from tests.clinic.care.clinical.conftest import DAY1, Practice, signed_plan

SENT = DAY1 + dt.timedelta(days=2)
DEADLINE = DAY1 + dt.timedelta(days=30)


def send(p: Practice, plan: object, **kw: object) -> CertificationRequest:
    return svc.certification_request_send(
        user=p.ot, plan=plan, sent_on=kw.pop("sent_on", SENT), **kw
    )


def test_sending_opens_an_initial_request_with_the_30_day_deadline(practice: Practice) -> None:
    plan = signed_plan(practice)
    request = send(practice, plan, channel="portal")
    assert request.kind == CertificationKind.INITIAL
    assert (request.status, request.channel, request.sent_by) == ("sent", "portal", practice.ot)
    assert request.deadline == DEADLINE
    assert request.physician == plan.certifying_physician
    plan.refresh_from_db()
    assert plan.sent_to_physician_on == SENT
    assert request.document == EpisodeDocument.objects.get(episode=practice.episode)


def test_sending_again_while_waiting_is_refused_and_adds_nothing(practice: Practice) -> None:
    plan = signed_plan(practice)
    send(practice, plan)
    with pytest.raises(ValidationFailed) as refused:
        send(practice, plan, sent_on=SENT + dt.timedelta(days=1))
    assert "record a reminder" in refused.value.errors["sent_on"][0]
    assert CertificationRequest.objects.filter(plan=plan).count() == 1
    assert EpisodeDocument.objects.filter(episode=practice.episode).count() == 1


def test_an_unknown_channel_is_refused_naming_the_field(practice: Practice) -> None:
    plan = signed_plan(practice)
    with pytest.raises(ValidationFailed) as refused:
        send(practice, plan, channel="pigeon")
    assert "channel" in refused.value.errors
    assert not CertificationRequest.objects.exists()


def test_the_schedule_of_a_request_is_7_and_14_days_then_the_call_5_days_before(
    practice: Practice,
) -> None:
    request = send(practice, signed_plan(practice))
    follow_up = follow_up_for(request, as_of=SENT)
    assert [(s.due_on, s.kind.value) for s in follow_up.schedule] == [
        (SENT + dt.timedelta(days=7), "reminder"),
        (SENT + dt.timedelta(days=14), "reminder"),
        (DEADLINE - dt.timedelta(days=5), "escalation"),
    ]
    assert follow_up.due is None
    assert follow_up.upcoming is not None and follow_up.upcoming.number == 1


def test_a_reminder_recorded_by_the_front_desk_counts_as_the_step_due(practice: Practice) -> None:
    request = send(practice, signed_plan(practice))
    day = SENT + dt.timedelta(days=8)
    reminder = svc.certification_reminder_record(
        user=practice.desk, request=request, sent_on=day, note="Spoke with the office"
    )
    assert (reminder.step, reminder.escalation, reminder.channel) == (1, False, "fax")
    assert reminder.sent_by == practice.desk
    request.refresh_from_db()
    assert request.status == "reminded"
    again = svc.certification_reminder_record(user=practice.desk, request=request, sent_on=day)
    assert again.pk == reminder.pk  # twice on one day does no harm
    assert CertificationReminder.objects.filter(request=request).count() == 1


def test_the_biller_and_the_assistant_may_not_record_reminders(practice: Practice) -> None:
    request = send(practice, signed_plan(practice))
    for user in (practice.biller, practice.ota):
        with pytest.raises(PermissionDenied):
            svc.certification_reminder_record(user=user, request=request, sent_on=SENT)


def test_recording_the_signature_marks_the_request_signed(practice: Practice) -> None:
    plan = signed_plan(practice)
    request = send(practice, plan)
    signed_on = DAY1 + dt.timedelta(days=12)
    svc.certification_record(user=practice.ot, plan=plan, signed_on=signed_on, as_of=signed_on)
    request.refresh_from_db()
    assert (request.status, request.closed_on, request.closed_by) == (
        "signed",
        signed_on,
        practice.ot,
    )
    with pytest.raises(ValidationFailed, match="already signed"):
        svc.certification_reminder_record(user=practice.ot, request=request, sent_on=signed_on)


def test_a_refusal_needs_the_physicians_reason(practice: Practice) -> None:
    request = send(practice, signed_plan(practice))
    with pytest.raises(ValidationFailed) as refused:
        svc.certification_request_refuse(
            user=practice.desk, request=request, refused_on=SENT, reason="  "
        )
    assert "reason" in refused.value.errors
    request.refresh_from_db()
    assert request.status == "sent"


def test_after_a_refusal_the_episode_check_shows_the_certification_missing(
    practice: Practice,
) -> None:
    # Without the 2025 referral exception (the referral does not name OT), only a signature
    # certifies the plan.
    practice.referral.names_discipline = False
    practice.referral.save()
    plan = signed_plan(practice)
    request = send(practice, plan)
    svc.certification_request_refuse(
        user=practice.desk,
        request=request,
        refused_on=SENT + dt.timedelta(days=5),
        reason="Wants a cardiology review before therapy starts.",
    )
    request.refresh_from_db()
    assert request.status == "refused"
    assert request.closed_by == practice.desk
    episode = reload_episode(practice.episode)
    pending = episode_check_for(episode, as_of=SENT + dt.timedelta(days=5))
    overdue = episode_check_for(episode, as_of=DEADLINE + dt.timedelta(days=1))
    assert pending is not None and overdue is not None
    assert pending.certification.status is CertificationStatus.PENDING
    assert overdue.certification.status is CertificationStatus.OVERDUE
    assert "episode.certification.overdue" in {f.rule_id for f in overdue.findings}


def test_after_a_refusal_the_plan_can_be_sent_again(practice: Practice) -> None:
    plan = signed_plan(practice)
    first = send(practice, plan)
    svc.certification_request_refuse(
        user=practice.ot, request=first, refused_on=SENT, reason="Frequency too high."
    )
    second = send(practice, plan, sent_on=SENT + dt.timedelta(days=3), channel="hand")
    assert second.status == "sent"
    assert CertificationRequest.objects.filter(plan=plan).count() == 2


def test_a_recertification_request_runs_to_the_end_of_the_certification_and_recertifying_signs_it(
    practice: Practice,
) -> None:
    plan = signed_plan(practice, duration_days=56)
    svc.certification_record(
        user=practice.ot, plan=plan, signed_on=SENT, as_of=SENT
    )  # initial certification, through day 56
    request = send(practice, plan, sent_on=DAY1 + dt.timedelta(days=45))
    assert request.kind == CertificationKind.RECERTIFICATION
    assert request.deadline == DAY1 + dt.timedelta(days=55)
    plan.refresh_from_db()
    assert plan.sent_to_physician_on is None  # the initial send date is left alone
    new = svc.plan_recertify(
        user=practice.ot,
        plan=plan,
        physician=practice.physician,
        certified_on=DAY1 + dt.timedelta(days=50),
        duration_days=56,
        frequency_per_week=2,
        duration_weeks=8,
    )
    request.refresh_from_db()
    assert request.status == "signed"
    assert request.closed_on == DAY1 + dt.timedelta(days=50)
    assert new.version == 2
