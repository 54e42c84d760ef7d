"""Fee schedules, the therapy threshold's opening balances, and the charges of signed notes."""

from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.revenue.models.money import MONEY


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
