"""The clinic's choice of which findings of the review before signing block a note."""

from django.db import models

from otclinic.clinic.common.models import OrgOwned


class NoteReviewPolicy(OrgOwned):
    """Which review rules block signing at one clinic; the others are warnings.

    No row: the defaults of `rules/note_review.yaml` (cloned documentation and minutes that
    disagree with the coded minutes block, the rest warn)."""

    clinic = models.OneToOneField(
        "organizations.Clinic", on_delete=models.CASCADE, related_name="note_review_policy"
    )
    blocking = models.JSONField(default=list, help_text="The rule ids that block signing")
