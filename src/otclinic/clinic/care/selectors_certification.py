"""Reads of the certification requests: where each stands, which reminder is due, what to show.

The plan page and the home page's due list read the same `CertificationFollowUp`, built from the
stored request, its reminders and the dated schedule (domain.compliance.certification_reminders).
The scheduled command reads `due_certification_reminders` over every organization; pages read
only through the user's organization.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.models import (
    CertificationReminder,
    CertificationRequest,
    CertificationRequestStatus,
    EpisodeStatus,
    PlanOfCare,
)
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.domain.access import Capability
from otclinic.domain.compliance.certification_reminders import (
    ReminderStep,
    next_step,
    reminder_schedule,
    step_due,
)

OPEN = [CertificationRequestStatus.SENT, CertificationRequestStatus.REMINDED]
REQUEST_SELECT = ("plan__episode__patient", "plan__episode__therapist__user", "physician")
# What the home page's due list shows of a request (the therapist is the user, not shown).
DUE_LIST_SELECT = ("plan__episode__patient", "physician")


@dataclass(frozen=True)
class CertificationFollowUp:
    """A request, its reminders so far, its schedule, the step due today and the next one."""

    request: CertificationRequest
    reminders: tuple[CertificationReminder, ...]
    schedule: tuple[ReminderStep, ...]
    due: ReminderStep | None
    upcoming: ReminderStep | None
    reminded_today: bool

    @property
    def last_step(self) -> int:
        return max((r.step for r in self.reminders), default=0)


def schedule_for(request: CertificationRequest) -> tuple[ReminderStep, ...]:
    """The request's reminder steps, from the policy in force on the day it was sent."""
    return reminder_schedule(sent_on=request.sent_on, deadline=request.deadline)


def follow_up_for(request: CertificationRequest, *, as_of: dt.date) -> CertificationFollowUp:
    reminders = tuple(request.reminders.all())
    schedule = schedule_for(request)
    done = max((r.step for r in reminders), default=0)
    is_open = request.status in OPEN
    return CertificationFollowUp(
        request=request,
        reminders=reminders,
        schedule=schedule,
        due=step_due(schedule, last_step_sent=done, as_of=as_of) if is_open else None,
        upcoming=next_step(schedule, last_step_sent=done) if is_open else None,
        reminded_today=any(r.sent_on == as_of for r in reminders),
    )


def certification_follow_ups_for_plan(
    plan: PlanOfCare, *, as_of: dt.date
) -> list[CertificationFollowUp]:
    """Every request for this plan version, newest first (the caller read the plan for the user)."""
    requests = plan.certification_requests.select_related("physician", "sent_by", "closed_by")
    return [follow_up_for(r, as_of=as_of) for r in requests.prefetch_related("reminders__sent_by")]


def certification_request_get_for_user(
    *, user: User, request_id: Any, plan: PlanOfCare
) -> CertificationRequest:
    """One request of a plan the user may read; another organization's answers 404."""
    require(user, Capability.VIEW_CHART)
    try:
        return CertificationRequest.objects.for_org(user.organization_id).get(
            pk=request_id, plan=plan
        )
    except (CertificationRequest.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such certification request") from exc


def _open_requests() -> QuerySet[CertificationRequest]:
    return (
        CertificationRequest.objects.filter(
            status__in=OPEN, plan__episode__status=EpisodeStatus.OPEN
        )
        .select_related(*REQUEST_SELECT)
        .prefetch_related("reminders")
        .order_by("sent_on", "created_at")
    )


def due_certification_reminders(
    *, as_of: dt.date, organization_id: Any = None
) -> list[CertificationFollowUp]:
    """Open requests (of open episodes) with a reminder due on `as_of` and none sent that day.

    Without `organization_id` this spans every organization: for the scheduled command only.
    """
    requests = _open_requests()
    if organization_id is not None:
        requests = requests.filter(organization_id=organization_id)
    follow_ups = (follow_up_for(r, as_of=as_of) for r in requests)
    return [f for f in follow_ups if f.due is not None and not f.reminded_today]


def certification_due_for_therapist(*, user: User, as_of: dt.date) -> list[CertificationFollowUp]:
    """The due reminders of the plans whose episodes the user is the therapist of."""
    requests = (
        _open_requests()
        .filter(organization_id=organization_id_of(user), plan__episode__therapist__user=user)
        .select_related(None)
        .select_related(*DUE_LIST_SELECT)
    )
    follow_ups = (follow_up_for(r, as_of=as_of) for r in requests)
    return [f for f in follow_ups if f.due is not None and not f.reminded_today]


def refused_for_therapist(*, user: User) -> QuerySet[CertificationRequest]:
    """Refused requests on the user's open episodes that no later request has followed."""
    later = CertificationRequest.objects.filter(
        plan__episode_id=OuterRef("plan__episode_id"), created_at__gt=OuterRef("created_at")
    )
    return (
        CertificationRequest.objects.for_org(user.organization_id)
        .filter(
            status=CertificationRequestStatus.REFUSED,
            plan__episode__status=EpisodeStatus.OPEN,
            plan__episode__therapist__user=user,
        )
        .exclude(Exists(later))
        .select_related(*DUE_LIST_SELECT)
    )
