"""Imported claim acknowledgments (277CA) and the rejected claims' work queue."""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.revenue.models.claims import Claim


class Acknowledgment(OrgOwned):
    """An imported claim acknowledgment (277CA): which claims the payer's front end accepted and
    which it rejected. A file is imported once (by its SHA-256); a second import changes nothing."""

    kind = models.CharField(max_length=8, help_text="277CA or 999")
    file_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    unmatched = models.JSONField(default=list, help_text="Claim numbers that match no claim")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sha256"], name="acknowledgment_imported_once"
            )
        ]


class ClaimRejection(OrgOwned):
    """A claim the payer's front end rejected, in the biller's work queue until it is corrected
    (the claim goes back to draft, to be fixed, scrubbed and sent again) or voided."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="rejections")
    acknowledgment = models.ForeignKey(
        Acknowledgment, on_delete=models.PROTECT, related_name="rejections"
    )
    reasons = models.JSONField(default=list, help_text="Each status in words, with its codes")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organization", "resolved_at"])]
