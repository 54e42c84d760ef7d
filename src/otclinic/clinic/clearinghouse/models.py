"""The clearinghouse loop's records: the files that go out and come in (outbox and inbox), the
clinic's settings for it, and each 276 claim status question with the payer's 277 answer."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from otclinic.clinic.common.models import OrgOwned


class Direction(models.TextChoices):
    OUT = "out", "Outbox"
    IN = "in", "Inbox"


class FileState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    SENT = "sent", "Sent"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Not read"


OUT_KINDS = ("837P", "270", "276")
IN_KINDS = ("999", "277CA", "277", "271", "835")


def exchange_path(instance: "ExchangeFile", filename: str) -> str:
    """outbox/ or inbox/ under the organization, by the file's own name."""
    return f"clearinghouse/{instance.organization_id}/{instance.direction}box/{filename}"


class ClearinghouseProfile(OrgOwned):
    """The clinic's settings for the loop (one per organization)."""

    status_after_days = models.PositiveSmallIntegerField(
        "ask about claims after (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="A 276 is written for a claim that has no answer this many days after it "
        "was submitted",
    )
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The biller the periodic job sends, fetches and imports as",
    )
    outbox_since = models.DateTimeField(
        default=timezone.now,
        help_text="837P and 270 files written from then on go to the outbox (older ones were "
        "sent by hand)",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="clearinghouse_profile_once"),
            models.CheckConstraint(
                condition=models.Q(status_after_days__gte=1, status_after_days__lte=365),
                name="clearinghouse_status_days_in_range",
            ),
        ]


class ExchangeFile(OrgOwned):
    """One file in the outbox (to send: 837P, 270, 276) or the inbox (received: 999, 277CA,
    277, 271, 835). A file is kept once per direction (by its SHA-256)."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=5, blank=True, help_text="837P, 270, 276, 999, 277CA ...")
    payer = models.ForeignKey(
        "payers.Payer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=exchange_path, max_length=250)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=FileState.choices, default=FileState.WAITING)
    done_at = models.DateTimeField(null=True, blank=True, help_text="Sent, or imported")
    outcome = models.CharField(max_length=500, blank=True, help_text="What the import did")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "direction", "sha256"], name="exchange_file_once"
            ),
        ]
        indexes = [models.Index(fields=["organization", "direction", "state"])]


class ClaimStatusInquiry(OrgOwned):
    """One claim asked about in a 276, and the payer's 277 answer (the claim's payer status)."""

    claim = models.ForeignKey(
        "revenue.Claim", on_delete=models.CASCADE, related_name="status_inquiries"
    )
    trace_number = models.CharField(max_length=30, help_text="TRN02 of the 276; the 277 echoes it")
    asked_on = models.DateField()
    sent_in = models.ForeignKey(
        ExchangeFile, on_delete=models.PROTECT, null=True, related_name="inquiries"
    )
    answered_in = models.ForeignKey(
        ExchangeFile, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    category = models.CharField(max_length=3, blank=True, help_text="STC01-1 of the first STC")
    status_code = models.CharField(max_length=5, blank=True, help_text="STC01-2")
    status_date = models.DateField(null=True, blank=True)
    words = models.JSONField(default=list, help_text="Every status of the claim, in words")

    class Meta:
        ordering = ["-asked_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "trace_number"], name="claim_status_trace_unique"
            ),
        ]
        indexes = [models.Index(fields=["organization", "claim", "answered_at"])]

    @property
    def summary(self) -> str:
        """The first status in words ("Finalized/Payment: ..."), or its codes when unlisted."""
        if self.words:
            return str(self.words[0])
        return f"category {self.category}" if self.category else "No status given"
