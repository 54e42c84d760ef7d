"""Reads for the daily note pages, scoped to the user's organization and role.

A note or episode of another organization is answered like one that does not exist (404).
Portal users never reach staff notes: reading a note needs the chart capability.
"""

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.billing_adapter import note_check
from otclinic.clinic.care.models import Episode, NoteLine, NoteStatus, TreatmentNote
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.staff.models import staff_label_fields
from otclinic.domain.access import Capability
from otclinic.domain.billing import Decision

NOTE_SELECT = ("episode__patient", "episode__clinic", "episode__coverage__payer", "author__user")


def episode_get_for_user(*, user: User, episode_id: uuid.UUID | str) -> Episode:
    require(user, Capability.VIEW_CHART)
    try:
        return (
            Episode.objects.for_org(user.organization_id)
            .select_related("patient", "clinic", "coverage__payer")
            .get(pk=episode_id)
        )
    except (Episode.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such episode") from exc


def notes_for_user(*, user: User) -> QuerySet[TreatmentNote]:
    require(user, Capability.VIEW_CHART)
    return TreatmentNote.objects.for_org(user.organization_id).select_related(*NOTE_SELECT)


def note_get_for_user(*, user: User, note_id: uuid.UUID | str) -> TreatmentNote:
    try:
        return notes_for_user(user=user).get(pk=note_id)
    except (TreatmentNote.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such note") from exc


# What the chart's recent notes show of each: not the note's text.
RECENT_NOTE_FIELDS = (
    "id",
    "organization_id",
    "episode_id",
    "date_of_service",
    "status",
    "not_billable",
    "total_timed_minutes",
    "total_treatment_minutes",
)


def recent_notes_for_chart(*, organization_id: uuid.UUID, patient: Any) -> list[TreatmentNote]:
    """The patient's ten latest notes for the chart (`patients.hooks.chart_recent_notes`),
    without their text, and their lines with only the code."""
    return list(
        TreatmentNote.objects.for_org(organization_id)
        .filter(episode__patient=patient)
        .select_related("author__user")
        .only(*RECENT_NOTE_FIELDS, *staff_label_fields("author"))
        .prefetch_related(Prefetch("lines", queryset=NoteLine.objects.only("note_id", "code")))[:10]
    )


def note_history(note: TreatmentNote) -> dict[str, Any]:
    """Signatures, addenda and co-sign reviews of a note, oldest first."""
    return {
        "signatures": list(note.signatures.select_related("signer")),
        "addenda": list(note.addenda.select_related("author__user")),
        "reviews": list(note.cosign_reviews.select_related("reviewer__user")),
    }


def sampling_settings_for_user(*, user: User) -> QuerySet[Clinic]:
    """The clinics of the user's organization with their sampled-review percentage."""
    require(user, Capability.COSIGN)
    return Clinic.objects.for_org(user.organization_id).order_by("name")


def review_decision(note: TreatmentNote) -> Decision | None:
    """For a note waiting for co-signature: what its claim will say, from the same check the
    charges will run. None for other notes and for a note signed as not billable."""
    if note.status != NoteStatus.COSIGN_PENDING or note.not_billable:
        return None
    return note_check(note).decision
