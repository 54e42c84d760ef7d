"""Patients, their contacts and caregivers, consents, diagnoses and portal access."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.common.validators import STATE_CHOICES, validate_icd10


class Sex(models.TextChoices):
    """Administrative sex as claims carry it (X12 DMG03)."""

    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Unknown"


class Patient(OrgOwned):
    """A person the practice treats."""

    mrn = models.CharField("medical record number", max_length=20)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    preferred_name = models.CharField(max_length=60, blank=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    home_clinic = models.ForeignKey(
        "organizations.Clinic", on_delete=models.PROTECT, related_name="patients"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["organization", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "mrn"], name="patient_mrn_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=["F", "M", "U"]), name="patient_sex_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MrnPattern(OrgOwned):
    """The organization's setting for new charts' MRNs: a prefix and a zero-padded number
    (`OT-000123`), and the counter the next one is taken from (locked while taken)."""

    prefix = models.CharField(max_length=10, blank=True, default="")
    digits = models.PositiveSmallIntegerField(default=6)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="mrn_pattern_one_per_org"),
            models.CheckConstraint(
                condition=models.Q(digits__gte=3, digits__lte=12), name="mrn_pattern_digits_3_to_12"
            ),
            models.CheckConstraint(
                condition=models.Q(next_number__gte=1), name="mrn_pattern_next_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{'0' * self.digits}"


# What the front desk enters and may edit of a patient (the MRN is assigned, not typed).
PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "birth_date",
    "sex",
    "phone",
    "email",
    "address",
    "city",
    "state",
    "zip_code",
    "home_clinic",
)


class Relationship(models.TextChoices):
    SPOUSE = "spouse", "Spouse or partner"
    PARENT = "parent", "Parent"
    CHILD = "child", "Adult child"
    SIBLING = "sibling", "Sibling"
    GUARDIAN = "guardian", "Legal guardian"
    FRIEND = "friend", "Friend"
    PAID_CAREGIVER = "paid_caregiver", "Paid caregiver"
    OTHER = "other", "Other"


class PatientContact(OrgOwned):
    """Someone in the patient's life: an emergency contact, a caregiver, or both."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    is_caregiver = models.BooleanField(default=False)
    is_emergency_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", "Consent to treatment"
    PRIVACY_NOTICE = "privacy_notice", "Acknowledged notice of privacy practices"
    CAREGIVER_TRAINING = "caregiver_training", "Caregiver training without the patient present"
    PORTAL_SHARING = "portal_sharing", "Share my record with a caregiver in the portal"
    TELEHEALTH = "telehealth", "Telehealth"


class PortalScope(models.TextChoices):
    """What a portal-sharing consent lets a caregiver see (the patient always sees all of it)."""

    GOALS = "goals", "Goals and progress"
    HOME_PROGRAM = "home_program", "Home program and caregiver handouts"
    APPOINTMENTS = "appointments", "Upcoming appointments"
    MESSAGES = "messages", "Messages with the care team"


def validate_portal_scopes(value: object) -> None:
    known = set(PortalScope.values)
    if not isinstance(value, list) or not all(isinstance(v, str) and v in known for v in value):
        raise ValidationError(f"Choose scopes from: {', '.join(PortalScope.values)}.")


class Consent(OrgOwned):
    """A documented consent, dated, revocable, and where it names a person, whom it covers.

    A portal-sharing consent names the caregiver contact, the scopes they may see and,
    optionally, the last day it holds (`expires_on`); from the day after, or from the day it
    is revoked, the caregiver's portal access ends. `revoked_at` is when the revocation was
    recorded: it also ends the contact's other consents recorded before it (patients.access).
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=24, choices=ConsentKind.choices)
    contact = models.ForeignKey(
        PatientContact, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    signed_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_on = models.DateField(
        "shared until", null=True, blank=True, help_text="The last day the consent holds."
    )
    scopes = models.JSONField(default=list, blank=True, validators=[validate_portal_scopes])
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | models.Q(revoked_on__gte=models.F("signed_on")),
                name="consent_revoked_after_signed",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("signed_on")),
                name="consent_expires_after_signed",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="portal_sharing") | models.Q(contact__isnull=False),
                name="consent_portal_sharing_names_contact",
            ),
        ]

    def clean(self) -> None:
        contact = self.contact if self.contact_id else None
        if contact is not None and self.patient_id and contact.patient_id != self.patient_id:
            raise ValidationError({"contact": "Choose one of this patient's contacts."})
        if self.kind == ConsentKind.PORTAL_SHARING and not self.scopes:
            raise ValidationError({"scopes": "Choose at least one thing to share."})
        if self.kind != ConsentKind.PORTAL_SHARING and self.scopes:
            raise ValidationError({"scopes": "Only a portal-sharing consent has scopes."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.revoked_on is not None and self.revoked_at is None:
            self.revoked_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revoked_at"}
        super().save(*args, **kwargs)

    def in_force_on(self, day: dt.date) -> bool:
        """Signed, not revoked and not expired on `day`."""
        return (
            self.signed_on <= day
            and (self.revoked_on is None or self.revoked_on > day)
            and (self.expires_on is None or self.expires_on >= day)
        )


class PatientDiagnosis(OrgOwned):
    """An ICD-10-CM diagnosis on the patient's problem list, checked against the code set."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField("ICD-10-CM code", max_length=8, validators=[validate_icd10])
    description = models.CharField(max_length=255)
    onset_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "patient diagnoses"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "code"], name="diagnosis_unique_per_patient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class PortalAccess(OrgOwned):
    """A portal login's right to see one patient: the patient themself, or an authorised caregiver.

    A caregiver's access rests on a portal-sharing consent; revoking the consent (or setting
    `revoked_on`) ends the access.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_accesses"
    )
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="portal_accesses")
    contact = models.ForeignKey(PatientContact, on_delete=models.CASCADE, null=True, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True)
    granted_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "patient"], name="portal_access_unique"),
        ]
