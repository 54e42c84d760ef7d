"""Reads of the clinical record, scoped to the user's organization."""

from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.care.models import NoteStatus, TreatmentNote


def unsigned_notes_for_user(*, user: Any) -> QuerySet[TreatmentNote]:
    """The user's own draft notes: documentation still owed."""
    return (
        TreatmentNote.objects.for_org(user.organization_id)
        .filter(author__user=user, status=NoteStatus.DRAFT)
        .select_related("episode__patient")
        .order_by("date_of_service")
    )


def cosign_queue_for_user(*, user: Any) -> QuerySet[TreatmentNote]:
    """Notes by the user's supervisees that wait for the user's co-signature."""
    return (
        TreatmentNote.objects.for_org(user.organization_id)
        .filter(author__supervising_ot__user=user, status=NoteStatus.COSIGN_PENDING)
        .select_related("episode__patient", "author__user")
        .order_by("date_of_service")
    )
