"""The ledger's entries, the patient's desk payments and refunds, and statements.

The ledger is the source of truth for balances: every charge, payment and adjustment is an
entry, so that charges = payments + adjustments + balance holds to the cent by construction.
"""

from typing import Any

from django.conf import settings
from django.db import models, transaction

from otclinic.clinic.common.models import OrgOwned, OrgQuerySet
from otclinic.clinic.revenue.ledger import keep_balances
from otclinic.clinic.revenue.models.claims import Claim, ClaimLine
from otclinic.clinic.revenue.models.money import MONEY
from otclinic.clinic.revenue.models.remittances import Remittance


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
