"""Hiring: job postings, applicants in the pipeline, their verification and onboarding checklists.

Applicants are people's personal data (not PHI, but private): only users who may manage staff
see them (`selectors.py`), and every row is audit-logged by the OrgOwned signals. The pipeline's
moves and what an offer and a hire need are rules in otclinic.domain.hiring; `adapters.py` turns
these rows into its facts.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.common.validators import STATE_CHOICES
from otclinic.clinic.staff.models import NbcotCredential
from otclinic.domain.codes import Role
from otclinic.domain.hiring.checklist import CheckResult, ReferenceResult
from otclinic.domain.hiring.pipeline import Stage

# Roles a posting may seek: staff roles, not portal users nor fieldwork students.
HIRABLE_ROLES = [
    Role.OT,
    Role.OTA,
    Role.PT,
    Role.PTA,
    Role.SLP,
    Role.BILLER,
    Role.FRONT_DESK,
    Role.CLINIC_ADMIN,
]
ROLE_CHOICES = [(r.value, r.label) for r in HIRABLE_ROLES]
STAGE_CHOICES = [(s.value, s.label) for s in Stage]
USER = settings.AUTH_USER_MODEL


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    PER_DIEM = "per_diem", "Per diem (PRN)"
    CONTRACT = "contract", "Contract"


class PostingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class JobPosting(OrgOwned):
    """A job the practice advertises at one of its clinics."""

    clinic = models.ForeignKey("organizations.Clinic", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    role = models.CharField("role sought", max_length=20, choices=ROLE_CHOICES)
    employment_type = models.CharField(max_length=10, choices=EmploymentType.choices)
    description = models.TextField(blank=True)
    posted_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=6, choices=PostingStatus.choices, default="open")

    class Meta:
        ordering = ["status", "-posted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("posted_on")),
                name="hiring_posting_closes_after_posted",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in HIRABLE_ROLES]),
                name="hiring_posting_role_hirable",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Applicant(OrgOwned):
    """A person who applied to a posting, with the credentials they claim and their stage."""

    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="applicants")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField()
    phone = models.CharField(max_length=20, blank=True)
    nbcot_credential = models.CharField(
        "NBCOT credential claimed", max_length=4, choices=NbcotCredential.choices, blank=True
    )
    nbcot_number = models.CharField("NBCOT number claimed", max_length=20, blank=True)
    stage = models.CharField(max_length=11, choices=STAGE_CHOICES, default=Stage.APPLIED.value)
    stage_changed_at = models.DateTimeField()
    stage_changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    declined_reason = models.CharField(max_length=200, blank=True)
    staff_profile = models.OneToOneField(
        "staff.StaffProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hired_from",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "email"], name="hiring_applicant_once_per_posting"
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.DECLINED.value) | ~Q(declined_reason=""),
                name="hiring_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(stage=Stage.HIRED.value, staff_profile__isnull=False)
                | (~Q(stage=Stage.HIRED.value) & Q(staff_profile__isnull=True)),
                name="hiring_hired_has_staff_profile",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="hiring_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)


class StageMove(OrgOwned):
    """One move of an applicant through the pipeline: who moved them, when, and why."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=11, choices=STAGE_CHOICES, blank=True)
    to_stage = models.CharField(max_length=11, choices=STAGE_CHOICES)
    moved_at = models.DateTimeField()
    moved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["moved_at", "created_at"]


class ClaimedLicense(OrgOwned):
    """A state license the applicant says they hold."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="licenses")
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    number = models.CharField(max_length=30)

    class Meta:
        ordering = ["state"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "state"], name="hiring_claimed_license_once_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.number}"


CHECK_CHOICES = [
    (CheckResult.ACTIVE.value, "Active"),
    (CheckResult.EXPIRED.value, "Expired"),
    (CheckResult.NOT_FOUND.value, "Not found"),
]


class LicenseLookup(OrgOwned):
    """A state board's license lookup for one claimed license; the latest one counts."""

    license = models.ForeignKey(ClaimedLicense, on_delete=models.CASCADE, related_name="lookups")
    result = models.CharField(max_length=9, choices=CHECK_CHOICES)
    expires_on = models.DateField("expiry found", null=True, blank=True)
    source = models.CharField(
        max_length=120, help_text="Where it was looked up, e.g. the state board's license lookup"
    )
    looked_up_on = models.DateField()
    looked_up_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-looked_up_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result=CheckResult.ACTIVE.value) | Q(expires_on__isnull=False),
                name="hiring_license_active_has_expiry",
            ),
        ]


class NbcotMethod(models.TextChoices):
    ONLINE = "online", "NBCOT online certification verification"
    LETTER = "letter", "NBCOT verification letter"
    OTHER = "other", "Other (say which in the notes)"


class NbcotVerification(OrgOwned):
    """A verification of the applicant's NBCOT certification; the latest one counts."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="nbcot_checks")
    number = models.CharField("NBCOT number", max_length=20)
    method = models.CharField("how", max_length=6, choices=NbcotMethod.choices)
    result = models.CharField(max_length=9, choices=CHECK_CHOICES)
    expires_on = models.DateField("expiry found", null=True, blank=True)
    verified_on = models.DateField()
    verified_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-verified_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result=CheckResult.ACTIVE.value) | Q(expires_on__isnull=False),
                name="hiring_nbcot_active_has_expiry",
            ),
        ]


REFERENCE_CHOICES = [
    (ReferenceResult.PENDING.value, "Not yet checked"),
    (ReferenceResult.FAVOURABLE.value, "Favourable"),
    (ReferenceResult.UNFAVOURABLE.value, "Unfavourable"),
    (ReferenceResult.NO_RESPONSE.value, "No response"),
]


class ReferenceCheck(OrgOwned):
    """A reference the applicant gave, and what they said when asked."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(max_length=120)
    contact = models.CharField(max_length=120, help_text="Phone or email")
    result = models.CharField(max_length=12, choices=REFERENCE_CHOICES, default="pending")
    notes = models.TextField(blank=True)
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result=ReferenceResult.PENDING.value)
                | Q(checked_on__isnull=False, checked_by__isnull=False),
                name="hiring_reference_checked_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Reference from {self.name} ({self.get_result_display().lower()})"


class OnboardingItem(OrgOwned):
    """One item of an applicant's onboarding checklist, copied from the clinic's settings."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="onboarding")
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    before_hire = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "label"], name="hiring_onboarding_item_once"
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="hiring_onboarding_done_has_who_and_when",
            ),
        ]


class HiringSettings(OrgOwned):
    """A practice's hiring settings: references needed and the onboarding items (with defaults)."""

    references_required = models.PositiveSmallIntegerField()
    # [{"label": str, "before_hire": bool}, ...], in checklist order.
    onboarding_items = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "hiring settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="hiring_settings_one_per_org"),
            models.CheckConstraint(
                condition=Q(references_required__lte=10),
                name="hiring_settings_references_at_most_ten",
            ),
        ]
