"""Clinicians' professional facts: NPI, NBCOT certification, state licenses, supervision."""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.common.validators import STATE_CHOICES, validate_npi


class NbcotCredential(models.TextChoices):
    """The NBCOT certifications (OTR for therapists, COTA for assistants)."""

    OTR = "OTR", "OTR (Occupational Therapist Registered)"
    COTA = "COTA", "COTA (Certified Occupational Therapy Assistant)"


class StaffProfile(OrgOwned):
    """A member of staff's professional record. Clinicians have an NPI and credentials."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[validate_npi])
    credentials = models.CharField(max_length=40, blank=True, help_text="e.g. OTR/L, COTA/L")
    nbcot_credential = models.CharField(max_length=4, choices=NbcotCredential.choices, blank=True)
    nbcot_number = models.CharField("NBCOT certification number", max_length=20, blank=True)
    nbcot_expires_on = models.DateField("NBCOT certification expires", null=True, blank=True)
    practice_started_on = models.DateField(
        null=True, blank=True, help_text="First day of practice, for first-year supervision rules"
    )
    supervising_ot = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_assistants",
        help_text="The OT who supervises this OTA (or student)",
    )
    supervision_plan_cosign = models.BooleanField(
        null=True,
        blank=True,
        help_text=(
            "New York (8 NYCRR 76.8): whether this assistant's written supervision plan has notes "
            "co-signed (yes) or initialed (no); blank when no plan is on file"
        ),
    )
    clinics = models.ManyToManyField("organizations.Clinic", blank=True, related_name="staff")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["npi"], condition=~models.Q(npi=""), name="staff_npi_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(npi="") | models.Q(npi__regex=r"^[12][0-9]{9}$"),
                name="staff_npi_ten_digits",
            ),
            models.CheckConstraint(
                condition=~models.Q(supervising_ot=models.F("id")),
                name="staff_not_own_supervisor",
            ),
        ]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.username
        return f"{name}, {self.credentials}" if self.credentials else name


class StateLicense(OrgOwned):
    """A state license to practise, with its expiry (several states allowed)."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="licenses")
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    number = models.CharField(max_length=30)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField()
    temporary = models.BooleanField(default=False)

    class Meta:
        ordering = ["state", "expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "state", "number"], name="license_unique"),
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="license_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.number}"


class CredentialAlert(OrgOwned):
    """An expiry alert sent for one credential in one window (60, 30 or 7 days before).

    `credential_id` is the license's id, or the staff profile's for its NBCOT certification.
    The expiry is part of the key so that a renewal (a new expiry on the same row) is alerted
    again in its own windows.
    """

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=[("license", "License"), ("nbcot", "NBCOT")])
    credential_id = models.UUIDField()
    expires_on = models.DateField()
    window_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "credential_id", "expires_on", "window_days"],
                name="credential_alert_once_per_window",
            ),
        ]
