"""Requests for the physician's certification: send, remind, refuse; signing closes them.

A request is made each time a plan version is sent for its initial certification or for a
recertification, with the channel and the deadline (BPM ch. 15 sec. 220.1.3: 30 days from the
evaluation for the initial one; the last certified day for a recertification). Reminders follow
the dated schedule in `domain.compliance.certification_reminders`; the scheduled command sends
them (`certification_reminders_send`, in `certification_reminders`), and the OT or the front desk
records one sent by hand. Recording the signature through `certification_record` or
`plan_recertify` marks the request signed; a refusal is recorded with the physician's reason and
leaves the certification missing, as the episode check then says.
"""

import datetime as dt
from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.adapters import episode_facts
from otclinic.clinic.care.models import (
    CertificationChannel,
    CertificationKind,
    CertificationReminder,
    CertificationRequest,
    CertificationRequestStatus,
    PlanOfCare,
    PlanStatus,
)
from otclinic.clinic.care.selectors_certification import schedule_for
from otclinic.clinic.care.selectors_clinical import reload_episode
from otclinic.clinic.care.services.clinical.common import require_therapist
from otclinic.clinic.care.services.clinical_reports import (
    plan_certification_document,
    plan_send_to_physician,
)
from otclinic.clinic.care.services.delivery import physician_delivery_queue
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.referrals.models import PhysicianChannel
from otclinic.domain.access import Capability
from otclinic.domain.compliance.certification_reminders import (
    StepKind,
    initial_deadline,
    next_step,
    step_due,
)
from otclinic.domain.compliance.episode_certification import certified_spans, current_span


def request_kind(plan: PlanOfCare) -> CertificationKind:
    """Initial for the episode's first plan not yet certified; a recertification otherwise."""
    first = plan.episode.plans.order_by("version").first()
    if first is not None and first.pk == plan.pk and plan.certified_on is None:
        return CertificationKind.INITIAL
    return CertificationKind.RECERTIFICATION


def request_deadline(plan: PlanOfCare, kind: str, *, as_of: dt.date) -> dt.date:
    """The last day for the signature: the evaluation + 30 days, or the last certified day."""
    if kind == CertificationKind.INITIAL:
        return initial_deadline(plan.established_on)
    facts = episode_facts(reload_episode(plan.episode), as_of=as_of)
    assert facts is not None  # the episode has this plan
    return current_span(certified_spans(facts), as_of).through


@transaction.atomic
def certification_request_send(
    *, user: User, plan: PlanOfCare, sent_on: dt.date, channel: str = ""
) -> CertificationRequest:
    """Send the plan (cover sheet and plan as a PDF) and open a request that tracks it.

    By fax or Direct secure email (the physician's preferred channel when `channel` is blank)
    the PDF is queued for sending (`services.delivery`), whose status the plan's page shows; by
    the portal, mail or hand the sending is recorded only. Only the initial request sets the
    plan's `sent_to_physician_on` (the date the 2025 referral exception looks at); a
    recertification request leaves it as it was.
    """
    require_therapist(user, plan.episode, Capability.PLAN_OF_CARE)
    if channel and channel not in CertificationChannel.values:
        raise ValidationFailed(
            {"channel": ["Choose fax, Direct secure email, portal, mail or hand-delivered."]}
        )
    kind = request_kind(plan)
    _refuse_if_open(plan, kind)
    if kind == CertificationKind.INITIAL:
        document = plan_send_to_physician(user=user, plan=plan, sent_on=sent_on)
    else:
        document = _recertification_document(user, plan, sent_on)
    physician = plan.certifying_physician
    assert physician is not None  # checked by the sending
    channel = channel or physician.preferred_channel
    if channel in PhysicianChannel.values:
        physician_delivery_queue(user=user, document=document, physician=physician, channel=channel)
    return validated_save(
        CertificationRequest(
            organization_id=plan.organization_id,
            plan=plan,
            kind=kind,
            physician=physician,
            channel=channel,
            sent_on=sent_on,
            sent_by=user,
            deadline=request_deadline(plan, kind, as_of=sent_on),
            document=document,
        )
    )


def _refuse_if_open(plan: PlanOfCare, kind: str) -> None:
    waiting = plan.certification_requests.filter(
        kind=kind, status__in=[CertificationRequestStatus.SENT, CertificationRequestStatus.REMINDED]
    ).first()
    if waiting is not None:
        raise ValidationFailed(
            {
                "sent_on": [
                    f"This plan has been waiting for the physician's signature since "
                    f"{waiting.sent_on}: record a reminder instead of sending it again."
                ]
            }
        )


def _recertification_document(user: User, plan: PlanOfCare, sent_on: dt.date) -> Any:
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed({"__all__": ["Only the active plan is sent for recertification."]})
    if plan.certifying_physician is None:
        raise ValidationFailed({"certifying_physician": ["Choose the certifying physician first."]})
    return plan_certification_document(
        user=user,
        plan=plan,
        sent_on=sent_on,
        title=f"Plan of care v{plan.version} sent for recertification to "
        f"{plan.certifying_physician} on {sent_on}",
        notice="Request for recertification",
    )


@transaction.atomic
def certification_reminder_record(
    *,
    user: User | None,
    request: CertificationRequest,
    sent_on: dt.date,
    channel: str = "",
    note: str = "",
    document: Any = None,
) -> CertificationReminder:
    """Record a reminder sent by hand (or by the scheduled command, with `user` None).

    It counts as the step of the schedule that is due (or the next one, when sent early). One
    reminder a day per request: recording a second one the same day returns the first.
    """
    if user is not None:
        _require_follow_up(user, request)
    current = _open_for_update(request)
    if sent_on < current.sent_on:
        raise ValidationFailed({"sent_on": [f"The plan was sent on {current.sent_on}."]})
    existing = current.reminders.filter(sent_on=sent_on).first()
    if existing is not None:
        return existing
    schedule = schedule_for(current)
    done = max((r.step for r in current.reminders.all()), default=0)
    step = step_due(schedule, last_step_sent=done, as_of=sent_on) or next_step(
        schedule, last_step_sent=done
    )
    reminder = validated_save(
        CertificationReminder(
            organization_id=current.organization_id,
            request=current,
            step=step.number if step else done + 1,
            escalation=bool(step and step.kind is StepKind.ESCALATION),
            sent_on=sent_on,
            channel=channel or current.channel,
            sent_by=user,
            document=document,
            note=note.strip()[:200],
        )
    )
    current.status = CertificationRequestStatus.REMINDED
    current.save(update_fields=["status", "updated_at"])
    return reminder


@transaction.atomic
def certification_request_refuse(
    *, user: User, request: CertificationRequest, refused_on: dt.date, reason: str
) -> CertificationRequest:
    """The physician refused to certify: record the day and their reason; nothing is certified."""
    _require_follow_up(user, request)
    current = _open_for_update(request)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Write the physician's reason for refusing, as they gave it."]
    if refused_on < current.sent_on:
        errors["refused_on"] = [f"The plan was sent on {current.sent_on}."]
    if errors:
        raise ValidationFailed(errors)
    current.status = CertificationRequestStatus.REFUSED
    current.refusal_reason = reason.strip()
    current.closed_on, current.closed_by = refused_on, user
    return validated_save(current)


def mark_signed(*, user: User, plan: PlanOfCare, kind: str, signed_on: dt.date) -> None:
    """Close the plan's open request of this kind as signed (called by the signing services)."""
    for request in plan.certification_requests.select_for_update().filter(
        kind=kind, status__in=[CertificationRequestStatus.SENT, CertificationRequestStatus.REMINDED]
    ):
        request.status = CertificationRequestStatus.SIGNED
        request.closed_on, request.closed_by = signed_on, user
        validated_save(request)


def _require_follow_up(user: User, request: CertificationRequest) -> None:
    require(user, Capability.FOLLOW_UP_CERTIFICATION)
    require_same_organization(user, request)


def _open_for_update(request: CertificationRequest) -> CertificationRequest:
    current = CertificationRequest.objects.select_for_update().get(pk=request.pk)
    if not current.is_open:
        raise ValidationFailed(
            {"__all__": [f"This request is already {current.get_status_display().lower()}."]}
        )
    return current
