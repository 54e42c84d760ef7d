"""Referring physicians and their referrals or orders for therapy."""

from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.common.validators import validate_npi
from otclinic.domain.codes import Discipline

DISCIPLINE_CHOICES = [(d.value, d.value) for d in Discipline]


class PhysicianChannel(models.TextChoices):
    """How documents reach the physician when they are sent from otclinic."""

    FAX = "fax", "Fax"
    DIRECT = "direct", "Direct secure email"


class ReferringPhysician(OrgOwned):
    """A physician or non-physician practitioner who refers patients and certifies plans."""

    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    credentials = models.CharField(max_length=20, blank=True, help_text="MD, DO, NP, PA")
    npi = models.CharField("NPI", max_length=10, validators=[validate_npi])
    practice_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    direct_address = models.EmailField(
        "Direct secure email address",
        blank=True,
        help_text="The physician's Direct (secure messaging) address, e.g. dr.ames@direct.example.org",
    )
    preferred_channel = models.CharField(
        "Send documents by",
        max_length=8,
        choices=PhysicianChannel.choices,
        default=PhysicianChannel.FAX,
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "npi"], name="physician_npi_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(npi__regex=r"^[12][0-9]{9}$"), name="physician_npi_ten_digits"
            ),
        ]

    def __str__(self) -> str:
        suffix = f", {self.credentials}" if self.credentials else ""
        return f"{self.first_name} {self.last_name}{suffix}"


class Referral(OrgOwned):
    """A signed, dated order or referral for one discipline (it matters for the 2025 exception)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="referrals"
    )
    physician = models.ForeignKey(
        ReferringPhysician, on_delete=models.PROTECT, related_name="referrals"
    )
    discipline = models.CharField(max_length=3, choices=DISCIPLINE_CHOICES)
    signed_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    names_discipline = models.BooleanField(
        default=True, help_text="The order names this discipline (e.g. 'OT evaluate and treat')"
    )
    diagnosis_codes = models.JSONField(
        default=list, blank=True, help_text="ICD-10-CM codes on the order"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discipline__in=[d.value for d in Discipline]),
                name="referral_discipline_known",
            ),
        ]
