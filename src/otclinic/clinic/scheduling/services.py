"""Writes to the schedule: booking one visit or a plan's series, and cancelling.

Every refusal says why: a double booking names the clinician, patient or room and the time it
is taken; a date outside the plan's certification names the certified-through date; an
exhausted authorization names the visit count.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.adapters import episode_facts
from otclinic.clinic.care.models import Episode, PlanOfCare
from otclinic.clinic.care.selectors_clinical import reload_episode
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.adapters import policy_for_payer
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.scheduling import selectors
from otclinic.clinic.scheduling.hooks import supervision_booking_problems
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Room,
    WaitlistEntry,
)
from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_for
from otclinic.clinic.staff.credentials import credential_problems_for
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.compliance.episode import check_episode
from otclinic.domain.scheduling.authorization import (
    authorization_problem,
    authorized_period_problem,
)
from otclinic.domain.scheduling.conflicts import Slot, conflicts
from otclinic.domain.scheduling.recurrence import Series, session_dates


class BookingRefused(Exception):
    """The schedule refuses a booking; `reasons` are the messages to show, one per problem."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


class CancelRefused(Exception):
    """An appointment that cannot be cancelled, or a cancellation without a reason."""


@dataclass
class _Request:
    """One wanted appointment, before it is checked and written."""

    patient: Patient
    clinician: StaffProfile
    clinic: Clinic
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: Room | None = None
    episode: Episode | None = None
    kind: str = AppointmentKind.TREATMENT
    extra_used: int = 0  # visits of the same series checked before this one
    earlier_days: tuple[dt.date, ...] = ()  # their dates
    problems: list[str] = field(default_factory=list)

    @property
    def room_id(self) -> Any:
        return self.room.pk if self.room else None

    @property
    def day(self) -> dt.date:
        return timezone.localdate(self.starts_at)


def clinician_credential_problems(
    *, clinician: StaffProfile, state: str, day: dt.date
) -> list[str]:
    """Why the clinician may not treat in `state` on `day` (a lapsed license or NBCOT).

    The staff app's credential rule decides; this is the one call site booking has.
    """
    return [finding.message for finding in credential_problems_for(clinician, state, day)]


def _check_org(user: Any, *rows: Any) -> None:
    """Another organization's record is answered like a missing one (404)."""
    require_same_organization(user, *rows)


def _conflict_problems(req: _Request) -> list[str]:
    candidate = Slot(req.starts_at, req.ends_at, req.clinician.pk, req.patient.pk, req.room_id)
    booked = selectors.overlapping_slots(
        organization_id=req.patient.organization_id,
        starts_at=req.starts_at,
        ends_at=req.ends_at,
        clinician_id=req.clinician.pk,
        patient_id=req.patient.pk,
        room_id=req.room_id,
    )
    return [c.message for c in conflicts(candidate, booked)]


def _certified_through(episode: Episode, day: dt.date) -> dt.date | None:
    facts = episode_facts(reload_episode(episode), as_of=day)
    if facts is None:
        return None
    payer = episode.coverage.payer if episode.coverage else None
    return check_episode(facts, policy=policy_for_payer(payer)).certification.through


def _certification_problems(req: _Request) -> list[str]:
    if req.episode is None or req.kind == AppointmentKind.EVALUATION:
        return []
    through = _certified_through(req.episode, req.day)
    if through is None:
        return ["the episode has no plan of care yet: book its evaluation first"]
    plan_start = req.episode.plans.order_by("version").values_list("established_on", flat=True)[0]
    if req.day < plan_start:
        return [f"{req.day} is before the plan of care starts on {plan_start}"]
    if req.day > through:
        return [
            f"{req.day} is after the plan of care's certification, which runs through {through}"
        ]
    return []


def _coverage_for(req: _Request) -> Coverage | None:
    if req.episode is not None:
        return req.episode.coverage
    return selectors.primary_coverage_on(patient=req.patient, day=req.day)


def _authorization_problems(req: _Request) -> list[str]:
    coverage = _coverage_for(req)
    if coverage is None or coverage.authorized_visits is None:
        return []
    used = selectors.visits_used_on_coverage(coverage=coverage) + req.extra_used
    problem = authorization_problem(authorized=coverage.authorized_visits, used=used)
    return [problem] if problem else []


def _authorized_period_problems(req: _Request) -> list[str]:
    """The payer's authorizations for the episode's discipline: the visit's date within one,
    and that one's visits not used up (counting the series' earlier dates in its period)."""
    if req.episode is None or req.episode.coverage is None:
        return []
    periods = [
        replace(p, used=p.used + sum(p.covers(day) for day in req.earlier_days))
        for p in selectors.authorized_periods_for(
            coverage=req.episode.coverage, discipline=req.episode.discipline
        )
    ]
    problem = authorized_period_problem(
        discipline=req.episode.discipline, day=req.day, periods=periods
    )
    return [problem] if problem else []


def _problems(req: _Request) -> list[str]:
    return [
        *clinician_credential_problems(
            clinician=req.clinician, state=req.clinic.state, day=req.day
        ),
        *supervision_booking_problems(clinician=req.clinician, clinic=req.clinic, day=req.day),
        *_conflict_problems(req),
        *_certification_problems(req),
        *_authorization_problems(req),
        *_authorized_period_problems(req),
    ]


def _write(req: _Request) -> Appointment:
    return Appointment.objects.create(
        organization_id=req.patient.organization_id,
        patient=req.patient,
        clinician=req.clinician,
        clinic=req.clinic,
        room=req.room,
        episode=req.episode,
        kind=req.kind,
        starts_at=req.starts_at,
        ends_at=req.ends_at,
    )


def _lock(req: _Request) -> None:
    """Serialize bookings of one clinician and one patient, so two desks cannot double-book."""
    StaffProfile.objects.select_for_update().filter(pk=req.clinician.pk).exists()
    Patient.objects.select_for_update().filter(pk=req.patient.pk).exists()
    if req.episode is not None and req.episode.coverage_id:
        Coverage.objects.select_for_update().filter(pk=req.episode.coverage_id).exists()


def rebooking_problems(appointment: Appointment) -> list[str]:
    """Every reason the booking checks give against holding `appointment`'s slot again.

    For undoing a cancellation: the same credential, supervision, double-booking,
    certification and authorization checks as a new booking, after the same locks. The caller
    holds the transaction."""
    req = _Request(
        appointment.patient,
        appointment.clinician,
        appointment.clinic,
        appointment.starts_at,
        appointment.ends_at,
        appointment.room,
        appointment.episode,
        appointment.kind,
    )
    _lock(req)
    return _problems(req)


def _check_minutes(minutes: int) -> None:
    if minutes < 1:
        raise BookingRefused([f"an appointment lasts at least a minute, not {minutes}"])


def _checked_times(starts_at: dt.datetime, minutes: int) -> tuple[dt.datetime, dt.datetime]:
    if timezone.is_naive(starts_at):
        raise BookingRefused(["the start time needs a time zone"])
    _check_minutes(minutes)
    return starts_at, starts_at + dt.timedelta(minutes=minutes)


@transaction.atomic
def appointment_book(
    *,
    user: User,
    patient: Patient,
    clinician: StaffProfile,
    clinic: Clinic,
    starts_at: dt.datetime,
    minutes: int,
    room: Room | None = None,
    episode: Episode | None = None,
    kind: str = AppointmentKind.TREATMENT,
) -> Appointment:
    """Book one appointment, or raise BookingRefused naming every reason it cannot be."""
    require(user, Capability.SCHEDULE)
    _check_org(user, patient, clinician, clinic, room, episode)
    start, end = _checked_times(starts_at, minutes)
    req = _Request(patient, clinician, clinic, start, end, room, episode, kind)
    _lock(req)
    problems = _problems(req)
    if problems:
        raise BookingRefused(problems)
    booked = _write(req)
    progress_visits_mark_for(appointments=[booked])
    return booked


def _active_plan(episode: Episode) -> PlanOfCare:
    plan = episode.plans.filter(status="active").order_by("-version").first()
    if plan is None:
        raise BookingRefused(["the episode has no active plan of care to take the series from"])
    return plan


def _series_requests(
    *,
    episode: Episode,
    clinician: StaffProfile,
    room: Room | None,
    days: tuple[dt.date, ...],
    time: dt.time,
    minutes: int,
    kind: str,
) -> list[_Request]:
    tz = timezone.get_current_timezone()
    requests = []
    for index, day in enumerate(days):
        # The wall-clock time is kept on each date, so the DST switch never moves a visit.
        start = dt.datetime.combine(day, time, tzinfo=tz)
        req = _Request(
            episode.patient,
            clinician,
            episode.clinic,
            start,
            start + dt.timedelta(minutes=minutes),
            room,
            episode,
            kind,
        )
        req.extra_used = index
        req.earlier_days = tuple(days[:index])
        requests.append(req)
    return requests


def series_dates(
    *, episode: Episode, weekdays: list[int], start_date: dt.date
) -> tuple[PlanOfCare, Series]:
    """The plan of care and the dates its series would take from `start_date` (writes nothing).

    The booking below and the booking page's preview both ask this, so the preview shows
    exactly the dates that confirming books.
    """
    plan = _active_plan(episode)
    try:
        series = session_dates(
            start=max(start_date, plan.established_on),
            weekdays=weekdays,
            frequency_per_week=plan.frequency_per_week,
            duration_weeks=plan.duration_weeks,
            certified_through=_certified_through(episode, start_date),
            holidays=selectors.holidays_for(clinic=episode.clinic),
        )
    except ValueError as exc:
        raise BookingRefused([str(exc)]) from exc
    return plan, series


@transaction.atomic
def appointments_book_series(
    *,
    user: User,
    episode: Episode,
    weekdays: list[int],
    start_date: dt.date,
    time: dt.time,
    minutes: int,
    clinician: StaffProfile | None = None,
    room: Room | None = None,
    kind: str = AppointmentKind.TREATMENT,
) -> list[Appointment]:
    """Book the plan of care's recurring series: every occurrence, or none of them.

    The dates follow the active plan's frequency and duration on the chosen weekdays, skip the
    clinic's holidays and stop at the certified-through date. If any occurrence is refused,
    nothing is booked and BookingRefused lists each refused date with its reasons.
    """
    require(user, Capability.SCHEDULE)
    clinician = clinician or episode.therapist
    _check_org(user, episode, clinician, room)
    _check_minutes(minutes)
    _plan, series = series_dates(episode=episode, weekdays=weekdays, start_date=start_date)
    if not series.dates:
        raise BookingRefused(["no session date falls within the plan's certification"])
    requests = _series_requests(
        episode=episode,
        clinician=clinician,
        room=room,
        days=series.dates,
        time=time,
        minutes=minutes,
        kind=kind,
    )
    _lock(requests[0])
    refused = [f"{r.day}: {'; '.join(p)}" for r in requests if (p := _problems(r))]
    if refused:
        raise BookingRefused(refused)
    booked_series = [_write(r) for r in requests]
    progress_visits_mark_for(appointments=booked_series)
    return booked_series


_OPEN = (AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN)


@transaction.atomic
def appointment_cancel(
    *, user: User, appointment: Appointment, reason: str, no_show: bool = False
) -> list[WaitlistEntry]:
    """Cancel (or mark a no-show), freeing the slot; the waitlist entries it would suit."""
    require(user, Capability.SCHEDULE)
    require_same_organization(user, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status not in _OPEN:
        raise CancelRefused(f"the appointment is already {appointment.get_status_display()}")
    if not reason.strip():
        raise CancelRefused("a cancellation needs a reason")
    appointment.status = AppointmentStatus.NO_SHOW if no_show else AppointmentStatus.CANCELLED
    appointment.cancel_reason = reason.strip()[:200]
    appointment.save(update_fields=["status", "cancel_reason", "updated_at"])
    progress_visits_mark_for(appointments=[appointment])
    return selectors.waitlist_offers_for(appointment=appointment)
