"""A leaving clinician's open work, and handing it to another qualified clinician at once.

Open work: future appointments, open episodes where they are the therapist, the OTAs they
supervise, the fieldwork students they educate (placements in force, or with a note still
waiting), and so the notes waiting for their co-signature, the students' among them. The
handover checks everything first (discipline, the new clinician's credentials in each
clinic's state, supervision rules, fieldwork educator eligibility, double bookings) and writes
nothing unless every item passes; then all of it in one transaction, with one audit entry.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.care.episode_checks import invalidate_episodes
from otclinic.clinic.care.models import Episode, EpisodeStatus, NoteStatus, TreatmentNote
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.fieldwork.adapters import educator_facts
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.clinic.fieldwork.student_notes import educated_by
from otclinic.clinic.scheduling.hooks import supervision_booking_problems
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.scheduling.selectors import overlapping_slots
from otclinic.clinic.scheduling.services import clinician_credential_problems
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.models import SupervisionPlan
from otclinic.clinic.supervision.services import plan_record, supervisor_errors
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.compliance.fieldwork import Program, educator_findings
from otclinic.domain.scheduling.conflicts import Slot, conflicts
from otclinic.domain.staffing import takeover_problems


def future_appointments(staff: StaffProfile) -> QuerySet[Appointment]:
    return (
        Appointment.objects.for_org(staff.organization_id)
        .filter(clinician=staff, status=AppointmentStatus.SCHEDULED, starts_at__gte=timezone.now())
        .select_related("patient", "clinic", "room", "episode")
        .order_by("starts_at")
    )


def open_episodes(staff: StaffProfile) -> QuerySet[Episode]:
    return (
        Episode.objects.for_org(staff.organization_id)
        .filter(therapist=staff, status=EpisodeStatus.OPEN)
        .select_related("patient", "clinic")
        .order_by("started_on")
    )


def supervised(staff: StaffProfile) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.for_org(staff.organization_id)
        .filter(supervising_ot=staff, active=True)
        .select_related("user")
    )


def cosign_waiting(staff: StaffProfile) -> QuerySet[TreatmentNote]:
    """Notes waiting for their co-signature: by the staff they supervise, and by their
    fieldwork students during a placement they educate (as `care.selectors.cosign_queue`)."""
    return TreatmentNote.objects.for_org(staff.organization_id).filter(
        Q(author__supervising_ot=staff) | educated_by(staff.user),
        status=NoteStatus.COSIGN_PENDING,
    )


def educated_placements(staff: StaffProfile, today: dt.date) -> QuerySet[FieldworkPlacement]:
    """The placements they educate that are still theirs to hand over: in force or to come, or
    over but with a student's note of the placement still waiting for the co-signature."""
    waiting = TreatmentNote.objects.filter(
        author=OuterRef("student"),
        status=NoteStatus.COSIGN_PENDING,
        date_of_service__gte=OuterRef("starts_on"),
        date_of_service__lte=OuterRef("ends_on"),
    )
    return (
        FieldworkPlacement.objects.for_org(staff.organization_id)
        .filter(Q(ends_on__gte=today) | Q(Exists(waiting)), educator=staff)
        .select_related("student__user")
        .order_by("starts_on", "pk")
    )


@dataclass(frozen=True)
class OpenWork:
    appointments: int
    episodes: int
    assistants: int
    cosign: int
    students: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.appointments or self.episodes or self.assistants or self.cosign or self.students
        )


def open_work(staff: StaffProfile) -> OpenWork:
    return OpenWork(
        appointments=future_appointments(staff).count(),
        episodes=open_episodes(staff).count(),
        assistants=supervised(staff).count(),
        cosign=cosign_waiting(staff).count(),
        students=educated_placements(staff, timezone.localdate()).count(),
    )


def _appointment_problems(appointment: Appointment, to: StaffProfile) -> list[str]:
    day = timezone.localdate(appointment.starts_at)
    slot = Slot(appointment.starts_at, appointment.ends_at, to.pk, appointment.patient_id, None)
    booked = overlapping_slots(
        organization_id=to.organization_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        clinician_id=to.pk,
        patient_id=None,
    )
    found = [
        *clinician_credential_problems(clinician=to, state=appointment.clinic.state, day=day),
        *supervision_booking_problems(clinician=to, clinic=appointment.clinic, day=day),
        *[c.message for c in conflicts(slot, booked)],
    ]
    when = timezone.localtime(appointment.starts_at)
    return [f"Appointment {when:%Y-%m-%d %H:%M}: {p}" for p in found]


def _episode_problems(episode: Episode, to: StaffProfile, today: dt.date) -> list[str]:
    found = clinician_credential_problems(clinician=to, state=episode.clinic.state, day=today)
    return [f"Episode started {episode.started_on}: {p}" for p in found]


def _placement_problems(placement: FieldworkPlacement, to: StaffProfile) -> list[str]:
    found = educator_findings(
        program=Program(placement.program),
        educator=educator_facts(to),
        starts_on=placement.starts_on,
    )
    # The rule's source is on the fieldwork pages, behind "Why?".
    return [f"Fieldwork student {placement.student}: {f.message}" for f in found]


def handover_problems(*, leaving: StaffProfile, to: StaffProfile, today: dt.date) -> list[str]:
    """Every reason `to` may not take over `leaving`'s open work (empty: they may)."""
    if to.pk == leaving.pk:
        return ["Choose another clinician."]
    if not (to.active and to.user.is_active):
        return [f"{to} is not an active member of staff."]
    assistants = list(supervised(leaving))
    episodes = list(open_episodes(leaving))
    placements = list(educated_placements(leaving, today))
    problems = takeover_problems(
        leaving=Role(leaving.user.role),
        taking_over=Role(to.user.role),
        has_episodes=bool(episodes),
        supervises=bool(assistants),
    )
    if problems:
        return problems
    for episode in episodes:
        problems += _episode_problems(episode, to, today)
    for appointment in future_appointments(leaving):
        problems += _appointment_problems(appointment, to)
    for ota in assistants:
        problems += [f"{ota}: {p}" for p in supervisor_errors(ota=ota, supervisor=to, on=today)]
    for placement in placements:
        problems += _placement_problems(placement, to)
    return problems


@transaction.atomic
def caseload_reassign(*, user: User, leaving: StaffProfile, to: StaffProfile) -> OpenWork:
    """Hand all of `leaving`'s open work to `to`, or nothing (ValidationFailed with every
    reason). Returns what was handed over; with nothing left to hand over, changes nothing."""
    require(user, Capability.MANAGE_STAFF)
    require_same_organization(user, leaving, to)
    # One handover at a time per clinician, and no booking for either while it runs.
    StaffProfile.objects.select_for_update().filter(pk__in=[leaving.pk, to.pk]).exists()
    today = timezone.localdate()
    work = open_work(leaving)
    if not work.any:
        return work
    problems = handover_problems(leaving=leaving, to=to, today=today)
    if problems:
        raise ValidationFailed({"to": problems})
    future_appointments(leaving).update(clinician=to)
    episode_ids = list(open_episodes(leaving).values_list("pk", flat=True))
    Episode.objects.filter(pk__in=episode_ids).update(therapist=to)
    invalidate_episodes(organization_id=leaving.organization_id, episode_ids=episode_ids)
    for ota in supervised(leaving):
        _supervision_handover(user=user, ota=ota, to=to, today=today)
    _fieldwork_handover(leaving=leaving, to=to, today=today)
    audit_record(
        action=AuditAction.UPDATE,
        object_type="staff.staffprofile",
        object_id=leaving.pk,
        organization_id=leaving.organization_id,
        fields=("caseload",),
        detail=(
            f"caseload handed to {to.pk}: {work.appointments} appointments, {work.episodes} "
            f"episodes, {work.assistants} assistants, {work.cosign} notes to co-sign, "
            f"{work.students} fieldwork students"
        ),
    )
    return work


def _fieldwork_handover(*, leaving: StaffProfile, to: StaffProfile, today: dt.date) -> None:
    """`to` becomes the educator of `leaving`'s placements, and so the co-signer of their
    students' waiting and later notes (`fieldwork.student_notes`)."""
    placements = list(educated_placements(leaving, today).values_list("pk", "student_id"))
    students = [student for _, student in placements]
    FieldworkPlacement.objects.filter(pk__in=[pk for pk, _ in placements]).update(
        educator=to, updated_at=timezone.now()
    )
    # The educator is the student's supervisor on file (as `fieldwork.services` places them).
    StaffProfile.objects.filter(
        Q(supervising_ot=leaving) | Q(supervising_ot__isnull=True), pk__in=students
    ).update(supervising_ot=to, updated_at=timezone.now())


def _supervision_handover(
    *, user: User, ota: StaffProfile, to: StaffProfile, today: dt.date
) -> None:
    """The OTA's supervisor becomes `to`; a written plan in force goes on, naming `to`, from today."""
    plan = (
        SupervisionPlan.objects.for_org(ota.organization_id)
        .filter(ota=ota, effective_from__lte=today)
        .exclude(effective_to__lt=today)
        .order_by("-effective_from")
        .first()
    )
    ota.supervising_ot = to
    ota.save(update_fields=["supervising_ot", "updated_at"])
    if plan is None:
        return
    if plan.effective_from == today:  # written today: it names the new supervisor instead
        plan.supervising_ot = to
        plan.save(update_fields=["supervising_ot", "updated_at"])
        return
    plan_record(
        user=user,
        ota=ota,
        supervising_ot=to,
        contact_every_days=plan.contact_every_days,
        by_in_person=plan.by_in_person,
        by_phone=plan.by_phone,
        by_video=plan.by_video,
        notes_cosigned=plan.notes_cosigned,
        effective_from=today,
        setting_started_on=plan.setting_started_on,
    )
