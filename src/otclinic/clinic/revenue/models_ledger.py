"""Balances kept from the ledger, so that the pages read them instead of summing every entry.

Each row is the sum of some ledger entries, written in the transaction that writes them
(`ledger.keep_balances`, called by `LedgerEntry`'s manager and `save`): a claim's balance per
responsibility, a patient's own balance, and each day's totals for the A/R key figures. The
ledger stays the truth; `ledger_check.balances_differ` compares them with it.
"""

from typing import Self, TypedDict, TypeVar

from django.db import models

from otclinic.clinic.common.models import BaseModel


class MoneyOptions(TypedDict, total=False):
    """The options every money column shares (a DecimalField's keyword arguments)."""

    max_digits: int
    decimal_places: int
    default: int


MONEY: MoneyOptions = {"max_digits": 12, "decimal_places": 2, "default": 0}
RESPONSIBILITY = [("payer", "Payer"), ("patient", "Patient")]


_M = TypeVar("_M", bound=models.Model)


class KeptQuerySet(models.QuerySet[_M]):
    """Kept balances are derived rows: their updates are not audited (the entries are)."""

    def for_org(self, organization: object) -> Self:
        return self.filter(organization=organization)


class KeptRow(BaseModel):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )

    objects = KeptQuerySet.as_manager()

    class Meta:
        abstract = True


class ClaimBalance(KeptRow):
    """What is still owed on one claim in one responsibility: the sum of its ledger entries."""

    claim = models.ForeignKey("revenue.Claim", on_delete=models.CASCADE, related_name="balances")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    responsibility = models.CharField(max_length=8, choices=RESPONSIBILITY)
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "responsibility"], name="claim_balance_one_per_responsibility"
            )
        ]
        # A/R aging reads only the open balances, whatever the number of claims paid off.
        indexes = [
            models.Index(
                fields=["organization", "responsibility"],
                condition=~models.Q(amount=0),
                name="claim_balance_open",
            )
        ]


class PatientBalance(KeptRow):
    """What a patient owes (negative: a credit): the sum of the patient's entries in the
    patient's responsibility, on a claim or not."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="kept_balance"
    )
    amount = models.DecimalField(**MONEY)

    class Meta:
        # The balances page: those who owe (or are owed), largest first, from the index.
        indexes = [
            models.Index(
                "organization",
                models.F("amount").desc(),
                condition=~models.Q(amount=0),
                name="patient_balance_open",
            )
        ]


class LedgerDay(KeptRow):
    """One day's ledger totals by posting date: charges, payments (payers' and patients', less
    refunds; negative, as on the ledger) and contractual adjustments (group CO; negative)."""

    day = models.DateField()
    charges = models.DecimalField(**MONEY)
    payments = models.DecimalField(**MONEY)
    contractual = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="ledger_day_unique")
        ]
