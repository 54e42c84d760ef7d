"""The tenant (an organization, the practice) and its clinics (locations)."""

from django.db import models

from otclinic.clinic.common.models import BaseModel, OrgOwned
from otclinic.clinic.common.validators import STATE_CHOICES, validate_npi
from otclinic.domain.codes import Role, Setting


def second_factor_default_roles() -> list[str]:
    """Who must sign in with a second factor unless the organization says otherwise: those who
    reach every patient's record and the practice's money."""
    return [Role.CLINIC_ADMIN.value, Role.BILLER.value]


class Organization(BaseModel):
    """A practice: the tenant. Every clinical and financial row belongs to exactly one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    tax_id = models.CharField("federal tax id (EIN)", max_length=9, blank=True)
    npi = models.CharField("group NPI", max_length=10, blank=True, validators=[validate_npi])
    billing_address = models.CharField(max_length=200, blank=True)
    billing_city = models.CharField(max_length=100, blank=True)
    billing_state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    billing_zip = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    second_factor_roles = models.JSONField(
        "roles that must use a second factor",
        default=second_factor_default_roles,
        blank=True,
        help_text="Staff roles whose members must sign in with an authenticator app",
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "automatic sign-out after (minutes idle)",
        default=15,
        help_text="HIPAA 164.312(a)(2)(iii): a session ends after this many minutes without use",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tax_id="") | models.Q(tax_id__regex=r"^[0-9]{9}$"),
                name="organization_tax_id_nine_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(idle_timeout_minutes__gte=1, idle_timeout_minutes__lte=480),
                name="organization_idle_timeout_1_to_480_minutes",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Clinic(OrgOwned):
    """A location of the practice, with the state whose practice act applies there."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    zip_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=20, blank=True)
    setting = models.CharField(
        max_length=32,
        choices=[(s.value, s.value) for s in Setting],
        default=Setting.PRIVATE_PRACTICE,
    )
    place_of_service = models.CharField(
        "place of service code", max_length=2, default="11", help_text="CMS POS code; 11 = office"
    )
    npi = models.CharField("location NPI", max_length=10, blank=True, validators=[validate_npi])
    cosign_every_note = models.BooleanField(
        default=False,
        help_text="The clinic's own policy: a supervising therapist co-signs every assistant's note",
    )
    cosign_sample_percent = models.PositiveSmallIntegerField(
        "sampled review (% of notes)",
        default=0,
        help_text=(
            "The clinic's own policy: the share (0-100) of assistants' notes that need no "
            "co-signature which the supervising OT reviews anyway, picked at random and logged"
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="clinic_name_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(place_of_service__regex=r"^[0-9]{2}$"),
                name="clinic_place_of_service_two_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(cosign_sample_percent__gte=0, cosign_sample_percent__lte=100),
                name="clinic_cosign_sample_percent_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name
