"""The demo clinic's fieldwork: the demo OTA educates the demo student (an OTA program, Level II).

The placement runs 8 weeks either side of today (16 weeks, ACOTE's OTA minimum) with a few logged
days, and the student's latest note waits for the OTA educator's co-signature, so signing in as
`ota.demo` shows the co-sign queue with it (docs/credentials.md, "An OTA educator's students").
The educator's supervising OT renders the note's claim with CO. Content is synthetic. Rows are
written with bulk_create (the seed records one audit entry for the whole run); running it again
adds nothing once the organization has a placement.
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from otclinic.clinic.care.models import (
    NoteLine,
    NoteStatus,
    Signature,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.care.services.notes.signing import content_sha256
from otclinic.clinic.fieldwork.models import FieldworkHours, FieldworkPlacement
from otclinic.clinic.staff.models import StaffProfile

EDUCATOR = "ota.demo"
STUDENT = "student.demo"
HALF_PLACEMENT = dt.timedelta(weeks=8)
REASON = "A fieldwork student's note is co-signed by the fieldwork educator"


def add_fieldwork(organization_id: uuid.UUID, today: dt.date) -> int:
    """The placement, its hours and one pending student note, unless a placement exists."""
    if FieldworkPlacement.objects.filter(organization_id=organization_id).exists():
        return 0
    profiles = StaffProfile.objects.filter(organization_id=organization_id).select_related("user")
    educator = profiles.filter(user__username=EDUCATOR).first()
    student = profiles.filter(user__username=STUDENT).first()
    if educator is None or student is None or educator.supervising_ot_id is None:
        return 0
    placement = FieldworkPlacement(
        organization_id=organization_id,
        student=student,
        educator=educator,
        program="OTA",
        level="II",
        school="Example Community College (synthetic)",
        starts_on=today - HALF_PLACEMENT,
        ends_on=today + HALF_PLACEMENT,
    )
    FieldworkPlacement.objects.bulk_create([placement])
    StaffProfile.objects.filter(pk=student.pk).update(supervising_ot=educator)
    hours = [
        FieldworkHours(
            organization_id=organization_id,
            placement=placement,
            worked_on=placement.starts_on + dt.timedelta(days=days),
            hours=Decimal("8.00"),
        )
        for days in (0, 1, 2, 3, 4)
    ]
    FieldworkHours.objects.bulk_create(hours)
    return 1 + len(hours) + _student_note(educator, student, placement)


def _student_note(
    educator: StaffProfile, student: StaffProfile, placement: FieldworkPlacement
) -> int:
    """The student's note on the episode of the educator's latest note in the placement."""
    model = (
        TreatmentNote.objects.filter(
            author=educator,
            status__in=[NoteStatus.SIGNED, NoteStatus.COSIGNED],
            date_of_service__gte=placement.starts_on,
        )
        .order_by("-date_of_service")
        .first()
    )
    if model is None:
        return 0
    lines = list(model.lines.order_by("position"))
    signed_at = timezone.now()
    note = TreatmentNote(
        organization_id=model.organization_id,
        episode_id=model.episode_id,
        author=student,
        date_of_service=model.date_of_service,
        status=NoteStatus.COSIGN_PENDING,
        patient_present=True,
        subjective="Reports less fatigue with morning routine.",
        patient_response="Followed the student's cues; rested once.",
        plan_next_visit="Grade the standing tolerance task.",
        total_timed_minutes=model.total_timed_minutes,
        total_treatment_minutes=model.total_treatment_minutes,
        signed_at=signed_at,
        cosign_required=True,
        cosign_reason=REASON,
    )
    TreatmentNote.objects.bulk_create([note])
    NoteLine.objects.bulk_create(
        NoteLine(
            organization_id=note.organization_id,
            note=note,
            position=line.position,
            code=line.code,
            category=line.category,
            description=line.description,
            # The student's minutes, as the OTA student of an OTA educator (billed with CO).
            assistant_minutes=line.therapist_minutes
            + line.assistant_minutes
            + line.together_minutes,
        )
        for line in lines
    )
    Signature.objects.bulk_create(
        [
            Signature(
                organization_id=note.organization_id,
                signer_id=student.user_id,
                meaning=SignatureMeaning.AUTHOR,
                credentials=(student.credentials or "OTS")[:40],
                signed_at=signed_at,
                content_sha256=content_sha256(note),
                note=note,
            )
        ]
    )
    return 2 + len(lines)
