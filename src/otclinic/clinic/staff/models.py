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
        user = self.user
        return staff_label(
            first_name=user.first_name,
            last_name=user.last_name,
            username=user.username,
            credentials=self.credentials,
        )


def staff_label(*, first_name: str, last_name: str, username: str, credentials: str) -> str:
    """How a member of staff is named on screen ("Ada Lovelace, OTR/L"): `StaffProfile.__str__`,
    and the pickers that read the columns alone."""
    name = f"{first_name} {last_name}".strip() or username
    return f"{name}, {credentials}" if credentials else name


STAFF_LABEL_COLUMNS = (
    "id",
    "credentials",
    "user__id",
    "user__first_name",
    "user__last_name",
    "user__username",
)


def staff_label_fields(path: str) -> tuple[str, ...]:
    """The columns `str()` of the staff profile at `path` ("author") reads, for `only()`."""
    return tuple(f"{path}__{name}" for name in STAFF_LABEL_COLUMNS)


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

    `credential_id` is the license's or the certificate's id, or the staff profile's for its
    NBCOT certification; for a CE shortfall ("ce") it is the clinic's CE requirement row, and
    `expires_on` is the end of the clinician's renewal cycle (windows 90 and 30 days). The staff
    member is part of the key because a CE requirement row is shared by the clinic's clinicians.
    The expiry is part of the key so that a renewal (a new expiry on the same row) is alerted
    again in its own windows.
    """

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        max_length=11,
        choices=[
            ("license", "License"),
            ("nbcot", "NBCOT"),
            ("certificate", "Certificate"),
            ("ce", "CE hours short"),
        ],
    )
    credential_id = models.UUIDField()
    expires_on = models.DateField()
    window_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "staff", "credential_id", "expires_on", "window_days"],
                name="credential_alert_once_per_window",
            ),
        ]


class CertificateType(OrgOwned):
    """A kind of certificate the clinic tracks (CPR/BLS, First Aid, ...), and whether its
    clinicians must hold one (clinic policy: a lapse warns, it does not block care)."""

    name = models.CharField(max_length=60)
    required_for_clinicians = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="certificate_type_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(OrgOwned):
    """One certificate a member of staff holds, with its issuer and dates."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="certificates")
    certificate_type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="certificates"
    )
    issuer = models.CharField(max_length=120, help_text="e.g. American Heart Association")
    number = models.CharField(max_length=40, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField()
    file_name = models.CharField(
        max_length=200, blank=True, help_text="The certificate's file, as kept by the clinic"
    )

    class Meta:
        ordering = ["certificate_type__name", "-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_type} ({self.issuer})"


NBCOT_BODY = "NBCOT"
CE_BODY_CHOICES = [(NBCOT_BODY, "NBCOT certification"), *STATE_CHOICES]


class CeRequirement(OrgOwned):
    """The continuing-education hours the clinic requires per renewal cycle, for one state's
    license or for NBCOT. The cycle ends on the credential's expiry: `cycle_months` long, or
    the license period itself (issue to expiry) when left blank."""

    counts_toward = models.CharField(max_length=5, choices=CE_BODY_CHOICES)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    cycle_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank: the cycle is the license period"
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the figure comes from (rule, board page)"
    )

    class Meta:
        ordering = ["counts_toward"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "counts_toward"], name="ce_requirement_one_per_credential"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="ce_requirement_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counts_toward}: {self.hours} hours"


class CeActivity(OrgOwned):
    """A continuing-education course or activity a member of staff completed."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="ce_activities")
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=120)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    counts_toward = models.CharField(max_length=5, choices=CE_BODY_CHOICES)
    certificate_file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="ce_activity_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} h)"
