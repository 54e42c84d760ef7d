"""Posted 835 remittances (payment, claims, service lines) and the denials they raise."""

from typing import Any

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.revenue.models.claims import Claim, ClaimLine
from otclinic.clinic.revenue.models.money import MONEY
from otclinic.domain.claims.x12.claim_status import claim_status_words


def remittance_path(organization_id: object, sha256: str) -> str:
    """Where an imported 835 file is stored: by its SHA-256, so a re-sent file is kept once."""
    return f"remittances/{organization_id}/{sha256}.835"


class Remittance(OrgOwned):
    """One posted 835 transaction set: one payment from one payer.

    A payment posts once. It is recognised by its payer (`payer_key`: TRN03, else the payer's
    identifier REF*2U/N104, else its N1*PR name), its TRN02 trace number and its BPR02 amount,
    never by the file's bytes, so a file re-sent with other line endings or control numbers
    posts nothing. A transaction set without a TRN trace number is recognised by
    `content_sha256`, a hash of its segments without separators and control numbers. Both are
    unique constraints, so of two simultaneous imports of one payment only one can post.
    Rows posted before payers were recognised this way have an empty `content_sha256`, and an
    empty `payer_key` when they repeat an earlier row's payment.
    """

    file_sha256 = models.CharField(max_length=64, help_text="The imported file's SHA-256")
    file = models.FileField(
        max_length=200, blank=True, help_text="The imported 835 file, in the file storage"
    )
    file_name = models.CharField(
        max_length=200, blank=True, help_text="The imported file's name as it was uploaded"
    )
    transaction_index = models.PositiveSmallIntegerField(default=0)
    payer_name = models.CharField(max_length=120)
    payer_identifier = models.CharField(max_length=50, blank=True)
    payer_key = models.CharField(
        max_length=80, blank=True, help_text="TRN03, else REF*2U/N104, else the N1*PR name"
    )
    payment_amount = models.DecimalField(**MONEY)
    payment_method = models.CharField(max_length=10, blank=True)
    payment_date = models.DateField(null=True, blank=True)
    trace_number = models.CharField(max_length=50, blank=True)
    content_sha256 = models.CharField(
        max_length=64, blank=True, help_text="For a set without TRN02: a hash of its segments"
    )
    provider_adjustments = models.JSONField(
        default=list, blank=True, help_text="PLB: reason and amount (positive reduces the payment)"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "payer_key", "trace_number", "payment_amount"],
                condition=~models.Q(payer_key="") & ~models.Q(trace_number=""),
                name="remittance_posted_once_by_trace",
            ),
            models.UniqueConstraint(
                fields=["organization", "content_sha256"],
                condition=models.Q(trace_number="") & ~models.Q(content_sha256=""),
                name="remittance_posted_once_by_content",
            ),
        ]


class RemittanceClaim(OrgOwned):
    """One CLP of a remittance; `claim` is empty while it waits in the unmatched queue."""

    remittance = models.ForeignKey(Remittance, on_delete=models.CASCADE, related_name="claims")
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="remittances"
    )
    patient_control_number = models.CharField(max_length=38)
    status_code = models.CharField(max_length=2)
    charge = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY)
    patient_responsibility = models.DecimalField(**MONEY, null=True, blank=True)
    payer_claim_number = models.CharField(max_length=50, blank=True)
    adjustments = models.JSONField(default=list, help_text="Claim-level CAS: group, reason, amount")

    @property
    def status_words(self) -> str:
        """CLP02 in words: "Denied", "Processed as primary, forwarded to additional payer(s)"."""
        return claim_status_words(self.status_code)


class RemittanceService(OrgOwned):
    """One SVC of a remittance claim, posted against a claim line when one matches."""

    remittance_claim = models.ForeignKey(
        RemittanceClaim, on_delete=models.CASCADE, related_name="services"
    )
    claim_line = models.ForeignKey(
        ClaimLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remittance_services",
    )
    procedure = models.CharField(max_length=10)
    modifiers = models.JSONField(default=list)
    charge = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY)
    units = models.PositiveSmallIntegerField(default=1)
    date_of_service = models.DateField(null=True, blank=True)
    adjustments = models.JSONField(default=list)
    remarks = models.JSONField(default=list)
    unmatched_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="On a posted claim: why this line matched none of the claim's lines",
    )


class DenialStatus(models.TextChoices):
    OPEN = "open", "Open"
    CORRECTED = "corrected", "Corrected and resubmitted"
    APPEALED = "appealed", "Appealed"
    WRITTEN_OFF = "written_off", "Written off"
    BILLED_PATIENT = "billed_patient", "Billed to the patient"
    BILLED_SECONDARY = "billed_secondary", "Billed to the secondary payer"
    CLOSED = "closed", "Closed"


# Denials still in the work queue: no decision has settled their money yet.
OPEN_DENIAL_STATUSES = (
    DenialStatus.OPEN,
    DenialStatus.APPEALED,
    DenialStatus.CORRECTED,
    DenialStatus.BILLED_SECONDARY,
)


class Denial(OrgOwned):
    """A denied or reduced line from a remittance, in the work queue until someone resolves it."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="denials")
    claim_line = models.ForeignKey(
        ClaimLine, on_delete=models.PROTECT, null=True, blank=True, related_name="denials"
    )
    remittance_claim = models.ForeignKey(
        RemittanceClaim, on_delete=models.PROTECT, related_name="denials"
    )
    # Kept with the denial so that the work queue groups and pages its open denials from one
    # index, without joining every claim and coverage (`save` fills it from the claim).
    payer = models.ForeignKey(
        "payers.Payer",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The payer the claim was billed to, which denied it",
    )
    group_code = models.CharField(max_length=2)
    reason_code = models.CharField(max_length=5, help_text="CARC")
    remark_codes = models.JSONField(default=list, help_text="RARCs")
    amount = models.DecimalField(**MONEY)
    status = models.CharField(
        max_length=16, choices=DenialStatus.choices, default=DenialStatus.OPEN
    )
    engine_rule_id = models.CharField(
        max_length=80, blank=True, help_text="The engine rule that could have caught it"
    )
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [
            models.Index(fields=["organization", "status", "reason_code"]),
            # The work queue: open denials by payer and CARC, each group oldest first.
            models.Index(
                fields=["organization", "payer", "reason_code", "created_at"],
                condition=models.Q(status__in=OPEN_DENIAL_STATUSES),
                name="denial_open_queue",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Posting sets the payer; a denial recorded any other way takes its claim's.
        if getattr(self, "payer_id", None) is None:
            self.payer_id = self.claim.coverage.payer_id
        super().save(*args, **kwargs)
