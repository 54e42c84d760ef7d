"""The revenue cycle: fee schedules, charges, claims, remittances, the ledger and denials.

Money is Decimal with two places everywhere. The ledger is the source of truth for balances:
every charge, payment and adjustment is an entry, so that charges = payments + adjustments +
balance holds to the cent by construction.
"""

from typing import Any

from django.conf import settings
from django.db import models, transaction

from otclinic.clinic.common.models import OrgOwned, OrgQuerySet
from otclinic.clinic.revenue.ledger import keep_balances
from otclinic.clinic.revenue.models_ledger import (
    ClaimBalance,
    LedgerDay,
    MoneyOptions,
    PatientBalance,
)
from otclinic.domain.claims.x12.claim_status import claim_status_words

MONEY: MoneyOptions = {"max_digits": 12, "decimal_places": 2}
__all__ = ["ClaimBalance", "LedgerDay", "PatientBalance"]  # kept from the ledger (models_ledger)


class ThresholdBucket(models.TextChoices):
    """The therapy-threshold buckets: OT alone; PT and SLP together (SSA 1833(g))."""

    OT = "OT", "Occupational therapy"
    PT_SLP = "PT_SLP", "Physical therapy and speech-language pathology"


class FeeSchedule(OrgOwned):
    """What the clinic charges and expects to be allowed, per payer (blank: the default) and year."""

    payer = models.ForeignKey(
        "payers.Payer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_schedules",
    )
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "payer", "year"], name="fee_schedule_unique_per_payer_year"
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=models.Q(payer__isnull=True),
                name="fee_schedule_one_default_per_year",
            ),
        ]


class FeeScheduleEntry(OrgOwned):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(max_length=5)
    charge_amount = models.DecimalField(**MONEY)
    expected_allowed = models.DecimalField(**MONEY, null=True, blank=True)
    practice_expense = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="The practice-expense part of one unit, for MPPR"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "code"], name="fee_entry_unique_code"),
            models.CheckConstraint(
                condition=models.Q(charge_amount__gte=0), name="fee_charge_not_negative"
            ),
        ]


class ThresholdOpeningBalance(OrgOwned):
    """Allowed amounts this year at other providers, entered by hand (the KX year-to-date start)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    bucket = models.CharField(max_length=6, choices=ThresholdBucket.choices)
    amount = models.DecimalField(**MONEY)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "year", "bucket"], name="threshold_opening_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="threshold_opening_not_negative"
            ),
        ]


class ChargeStatus(models.TextChoices):
    UNBILLED = "unbilled", "Not yet billed"
    BILLED = "billed", "On a claim"
    VOID = "void", "Void"


class Charge(OrgOwned):
    """One billable line from a signed note, as the engine decided it (code, units, modifiers)."""

    note = models.ForeignKey("care.TreatmentNote", on_delete=models.PROTECT, related_name="charges")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="charges"
    )
    date_of_service = models.DateField()
    code = models.CharField(max_length=5)
    modifiers = models.JSONField(default=list)
    units = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    expected_allowed = models.DecimalField(**MONEY, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChargeStatus.choices, default=ChargeStatus.UNBILLED
    )
    # The billing check's warnings and errors on the note when its charges were created (every
    # charge of a note holds the same list), so that the scrubber reads the decision the charges
    # follow instead of checking the note again. Null on charges made before it was kept.
    billing_findings = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["date_of_service", "code"]
        # The unbilled charges (the claims page's work count) without reading every charge.
        indexes = [models.Index(fields=["organization", "status"], name="charge_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(units__gte=1), name="charge_units_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="charge_amount_not_negative"
            ),
        ]


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
        """The kept scrub results in a few words: "2 errors, 1 warning", "no problems",
        "not scrubbed"."""
        if self.scrubbed_at is None:
            return "not scrubbed"
        findings = self.scrub_findings or []
        counts = [
            (sum(1 for f in findings if f.get("severity") == severity), severity)
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


def remittance_path(organization_id: object, sha256: str) -> str:
    """Where an imported 835 file is stored: by its SHA-256, so a re-sent file is kept once."""
    return f"remittances/{organization_id}/{sha256}.835"


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


class LedgerKind(models.TextChoices):
    CHARGE = "charge", "Charge"
    PAYER_PAYMENT = "payer_payment", "Payer payment"
    ADJUSTMENT = "adjustment", "Adjustment"
    PATIENT_PAYMENT = "patient_payment", "Patient payment"
    WRITE_OFF = "write_off", "Write-off"
    TRANSFER = "transfer", "Transfer to patient or secondary"
    REFUND = "refund", "Refund to the patient"


# What a written entry may never change: a correction is a new entry (see `ledger`).
LEDGER_FIXED = frozenset(
    {"organization", "patient", "claim", "amount", "responsibility", "posted_on", "kind"}
)


class LedgerQuerySet(OrgQuerySet["LedgerEntry"]):
    """The ledger's rows: written through `bulk_create`, `create` or `save`, each of which keeps
    the balances (`ledger.keep_balances`); never changed in what the balances sum, nor deleted."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            keep_balances(created)
        return created

    def update(self, **kwargs: Any) -> int:
        fixed = sorted(LEDGER_FIXED & {name.removesuffix("_id") for name in kwargs})
        if fixed:
            raise TypeError(
                f"ledger entries are never changed ({', '.join(fixed)}): post a new one"
            )
        return super().update(**kwargs)

    def delete(self) -> Any:
        raise TypeError("ledger entries are never deleted: post a reversing entry")


class LedgerEntry(OrgOwned):
    """One movement of money on a claim line. Charges are positive; payments and adjustments
    negative. Written once, never changed: a new entry updates the kept balances in the same
    transaction (`ledger.keep_balances`)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="ledger")
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    claim_line = models.ForeignKey(
        ClaimLine, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    amount = models.DecimalField(**MONEY)
    responsibility = models.CharField(
        max_length=8, choices=[("payer", "Payer"), ("patient", "Patient")], default="payer"
    )
    posted_on = models.DateField()
    group_code = models.CharField(max_length=2, blank=True, help_text="CAS group: CO, PR, OA, PI")
    reason_code = models.CharField(max_length=5, blank=True, help_text="CARC")
    remittance = models.ForeignKey(
        Remittance, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(max_length=200, blank=True)
    payment = models.ForeignKey(
        "PatientPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        help_text="The desk payment or refund this entry applies",
    )

    # The stubs type a subclass's own manager as an instance variable (django-stubs 5.2).
    objects = LedgerQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["posted_on", "created_at"]
        indexes = [
            models.Index(fields=["organization", "patient"]),
            models.Index(fields=["organization", "claim"]),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("ledger entries are never changed: post a new one")
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            keep_balances([self])


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


class PatientStatement(OrgOwned):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="statements"
    )
    statement_date = models.DateField()
    balance = models.DecimalField(**MONEY)
    file = models.FileField(upload_to="statements/%Y/%m/")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-statement_date"]


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


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CHECK = "check", "Check"
    CARD = "card", "Card (external terminal)"
    OTHER = "other", "Other"


class PatientPayment(OrgOwned):
    """Money a patient paid at the desk (a copay, coinsurance or self-pay), or a refund of a
    credit. Its ledger entries say where it went: the services the patient owed for, oldest
    first, and what was left over as a credit on account."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="payments"
    )
    is_refund = models.BooleanField(default=False)
    amount = models.DecimalField(**MONEY)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    reference = models.CharField(
        max_length=40, blank=True, help_text="Check number or the card terminal's approval code"
    )
    received_on = models.DateField()
    receipt_number = models.CharField(max_length=20)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The form's one-time token: the same form sent twice records one payment.
    request_token = models.UUIDField()

    class Meta:
        ordering = ["-received_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "request_token"], name="patient_payment_once"
            ),
            models.UniqueConstraint(
                fields=["organization", "receipt_number"], name="patient_payment_receipt_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="patient_payment_positive"
            ),
        ]
