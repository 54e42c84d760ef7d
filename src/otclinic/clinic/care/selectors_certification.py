"""Reads of the certification requests: where each stands, which reminder is due, what to show.

The plan page and the home page's due list read the same `CertificationFollowUp`, built from the
stored request, its reminders and the dated schedule (domain.compliance.certification_reminders).
The scheduled command reads `due_certification_reminders` over every organization; pages read
only through the user's organization.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
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
# What the home page's due list shows of a request (the therapist is the user, not shown) and
# what its reminder schedule reads: not every column of four rows.
DUE_LIST_SELECT = ("plan__episode__patient", "physician")
DUE_LIST_FIELDS = (
    "id",
    "organization_id",
    "status",
    "sent_on",
    "deadline",
    "closed_on",
    "created_at",
    "plan__id",
    "plan__version",
    "plan__episode__id",
    "plan__episode__patient__id",
    "plan__episode__patient__first_name",
    "plan__episode__patient__last_name",
    "physician__id",
    "physician__first_name",
    "physician__last_name",
    "physician__credentials",
)


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
    requests = requests.prefetch_related("reminders__sent_by", "document__deliveries")
    return [follow_up_for(r, as_of=as_of) for r in requests]


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


def certification_follow_ups_of_episodes(
    *, organization_id: Any, episode_ids: list[Any], as_of: dt.date
) -> tuple[list[CertificationFollowUp], list[CertificationRequest]]:
    """What the home page's due list says of the certifications of these episodes' plans
    (`care.due_list`, stored with each episode's check): the requests with a reminder due on
    `as_of` (none sent that day), oldest sent first; and the refused requests that no later
    request has followed, newest first. One query for both, and one for the reminders of what
    it finds."""
    later = CertificationRequest.objects.filter(
        plan__episode_id=OuterRef("plan__episode_id"), created_at__gt=OuterRef("created_at")
    )
    reminders = CertificationReminder.objects.only("request_id", "step", "sent_on")
    requests = (
        CertificationRequest.objects.filter(
            plan__episode_id__in=episode_ids,
            organization_id=organization_id,
            status__in=[*OPEN, CertificationRequestStatus.REFUSED],
        )
        .alias(followed=Exists(later))
        .filter(Q(status__in=OPEN) | Q(followed=False))
        .select_related(*DUE_LIST_SELECT)
        .only(*DUE_LIST_FIELDS)
        .prefetch_related(Prefetch("reminders", queryset=reminders))
        .order_by("sent_on", "created_at")
    )
    due: list[CertificationFollowUp] = []
    refused: list[CertificationRequest] = []
    for request in requests:
        if request.status == CertificationRequestStatus.REFUSED:
            refused.append(request)
            continue
        follow_up = follow_up_for(request, as_of=as_of)
        if follow_up.due is not None and not follow_up.reminded_today:
            due.append(follow_up)
    refused.reverse()  # the newest first, as the requests' own ordering has them
    return due, refused
