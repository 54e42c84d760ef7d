"""Claims, their lines, the X12 control numbers and the exported 837P files (batches)."""

from typing import Any

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.revenue.models.charges import Charge
from otclinic.clinic.revenue.models.money import MONEY


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready to submit"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"
    DENIED = "denied", "Denied"
    APPEALED = "appealed", "Appealed"
    VOID = "void", "Void"


class ClaimFrequency(models.TextChoices):
    """CLM05-3: an original claim, a replacement (correction) or a void (X12 837P 2300)."""

    ORIGINAL = "1", "Original"
    REPLACEMENT = "7", "Replacement (correction)"
    VOID = "8", "Void"


class Claim(OrgOwned):
    """A professional claim to one payer for one patient."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey("payers.Coverage", on_delete=models.PROTECT, related_name="claims")
    episode = models.ForeignKey("care.Episode", on_delete=models.PROTECT, related_name="claims")
    patient_control_number = models.CharField(
        max_length=20, help_text="CLM01; 835 CLP01 matches it"
    )
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    frequency = models.CharField(
        max_length=1, choices=ClaimFrequency.choices, default=ClaimFrequency.ORIGINAL
    )
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replacements"
    )
    primary_claim = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secondary_claims",
        help_text="For a claim to a secondary payer: the primary's claim",
    )
    payer_claim_number = models.CharField(max_length=50, blank=True)
    rendering_provider = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The supervising therapist, never the assistant",
    )
    referring_physician = models.ForeignKey(
        "referrals.ReferringPhysician",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place_of_service = models.CharField(max_length=2, default="11")
    diagnosis_codes = models.JSONField(
        default=list, help_text="ICD-10-CM codes in pointer order, up to 12"
    )
    total_charge = models.DecimalField(**MONEY)
    first_service_on = models.DateField()
    last_service_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the claim was first exported, kept when it is sent again (A/R aging)",
    )
    batch = models.ForeignKey(
        "revenue.ClaimBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    # The payer this claim was forwarded to by its own payer (835 CLP02 19-21, NM1*TT): the
    # next payer has it already, so its claim is never exported (docs/remittances.md).
    crossed_over_to = models.CharField(
        max_length=120, blank=True, help_text="835 NM1*TT NM103: the crossover carrier's name"
    )
    crossover_payer_id = models.CharField(
        max_length=80, blank=True, help_text="835 NM1*TT NM109: the crossover carrier's id"
    )
    # The last scrub's problems (rule, severity, source, field, message, fix) and when it ran;
    # empty again when the claim changes (`scrub_kept`).
    scrub_findings = models.JSONField(null=True, blank=True, editable=False)
    scrubbed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-first_service_on"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            # The claims list's order: its first page is read from the index, not sorted.
            models.Index(
                fields=["organization", "-first_service_on", "patient_control_number"],
                name="claim_list_order",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "patient_control_number"],
                name="claim_control_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(last_service_on__gte=models.F("first_service_on")),
                name="claim_service_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency="1") | models.Q(original__isnull=False),
                name="claim_correction_names_original",
            ),
        ]

    @property
    def scrub_summary(self) -> str:
        """The kept scrub results in a few words (`scrub_summary`)."""
        return scrub_summary(self.scrubbed_at, self.scrub_findings)


def scrub_summary(scrubbed_at: Any, findings: list[dict[str, Any]] | None) -> str:
    """A claim's kept scrub results in a few words: "2 errors, 1 warning", "no problems",
    "not scrubbed"."""
    if scrubbed_at is None:
        return "not scrubbed"
    counts = [
        (sum(1 for f in findings or [] if f.get("severity") == severity), severity)
        for severity in ("error", "warning")
    ]
    words = [f"{n} {severity}{'' if n == 1 else 's'}" for n, severity in counts if n]
    return ", ".join(words) or "no problems"


class ClaimLine(OrgOwned):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    charge = models.ForeignKey(
        Charge, on_delete=models.PROTECT, null=True, blank=True, related_name="claim_lines"
    )
    line_number = models.PositiveSmallIntegerField()
    date_of_service = models.DateField()
    code = models.CharField(max_length=5)
    modifiers = models.JSONField(default=list)
    units = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    diagnosis_pointers = models.JSONField(default=list)

    class Meta:
        ordering = ["line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "line_number"], name="claim_line_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=1), name="claim_line_units_at_least_one"
            ),
        ]


class ControlNumber(OrgOwned):
    """The last X12 control number used, per kind: unique and persistent across exports."""

    kind = models.CharField(
        max_length=12,
        choices=[("interchange", "ISA13"), ("group", "GS06"), ("transaction", "ST02")],
    )
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="control_number_unique")
        ]


def batch_path(instance: "ClaimBatch", filename: str) -> str:
    """Where an 837P file is stored: under its organization, by its own unique name."""
    return f"claims/{instance.organization_id}/{filename}"


class ClaimBatch(OrgOwned):
    """One exported 837P file for one payer; the file itself is in the file storage."""

    payer = models.ForeignKey("payers.Payer", on_delete=models.PROTECT, related_name="+")
    interchange_control_number = models.PositiveIntegerField()
    group_control_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="GS06: a 999 acknowledges the file by it (AK102)"
    )
    file = models.FileField(upload_to=batch_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "interchange_control_number"],
                name="batch_interchange_unique",
            ),
        ]

    def read_text(self) -> str:
        """The 837P file as written (X12 is ASCII)."""
        with self.file.open("rb") as handle:
            data: bytes = handle.read()
        return data.decode("ascii")
