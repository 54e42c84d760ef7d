"""The clinical record: episode, evaluation, plan of care, treatment notes, signatures.

Behaviour (signing, locking, co-signature) lives in services; these are the tables and the
constraints that keep them sound.
"""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.codes import Discipline, InterventionCategory

DISCIPLINE_CHOICES = [(d.value, d.value) for d in Discipline]
CATEGORY_CHOICES = [(c.value, c.label) for c in InterventionCategory]


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISCHARGED = "discharged", "Discharged"
    CANCELLED = "cancelled", "Cancelled"


class Episode(OrgOwned):
    """One discipline's course of care for one patient, from evaluation to discharge."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="episodes"
    )
    discipline = models.CharField(max_length=3, choices=DISCIPLINE_CHOICES)
    clinic = models.ForeignKey("organizations.Clinic", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
    )
    therapist = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.PROTECT,
        related_name="episodes",
        help_text="The therapist responsible for the plan of care",
    )
    coverage = models.ForeignKey(
        "payers.Coverage", on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    status = models.CharField(
        max_length=12, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "discipline"],
                condition=models.Q(status="open"),
                name="one_open_episode_per_discipline",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(discipline__in=[d.value for d in Discipline]),
                name="episode_discipline_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.discipline} episode from {self.started_on}"


class EvaluationKind(models.TextChoices):
    EVALUATION = "evaluation", "Evaluation"
    REEVALUATION = "reevaluation", "Re-evaluation"


class Complexity(models.TextChoices):
    LOW = "low", "Low (97165)"
    MODERATE = "moderate", "Moderate (97166)"
    HIGH = "high", "High (97167)"


class Evaluation(OrgOwned):
    """An evaluation or re-evaluation by the therapist, with its complexity and code."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(max_length=12, choices=EvaluationKind.choices)
    performed_on = models.DateField()
    therapist = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="+")
    complexity = models.CharField(max_length=8, choices=Complexity.choices, blank=True)
    code = models.CharField(max_length=5, help_text="97165-97167 evaluation, 97168 re-evaluation")
    occupational_profile = models.TextField(blank=True)
    history = models.TextField(blank=True)
    performance_deficits = models.TextField(blank=True)
    complexity_reasoning = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-performed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__in=["97165", "97166", "97167", "97168"]),
                name="evaluation_code_known",
            ),
        ]


class AssessmentScore(OrgOwned):
    """A scored observation from a standardized assessment (COPM, Barthel, QuickDASH, grip...)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    note = models.ForeignKey(
        "care.TreatmentNote", on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    instrument = models.CharField(
        max_length=40, help_text="e.g. copm_performance, barthel, grip_kg"
    )
    value = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=16, blank=True)
    side = models.CharField(
        max_length=5, choices=[("", "n/a"), ("left", "Left"), ("right", "Right")], blank=True
    )
    measured_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evaluation__isnull=False) | models.Q(note__isnull=False),
                name="score_belongs_to_a_document",
            ),
        ]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded"


class PlanOfCare(OrgOwned):
    """The therapist's plan: goals, interventions, frequency and duration, and its certification.

    The certification fields are those of the episode-check contract; each change of the plan
    that needs recertification is a new version.
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    established_on = models.DateField(help_text="The evaluation day: day 1 of the episode")
    duration_days = models.PositiveSmallIntegerField()
    frequency_per_week = models.PositiveSmallIntegerField()
    duration_weeks = models.PositiveSmallIntegerField()
    certifying_physician = models.ForeignKey(
        "referrals.ReferringPhysician",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_to_physician_on = models.DateField(null=True, blank=True)
    verbal_certification_on = models.DateField(null=True, blank=True)
    certified_on = models.DateField(null=True, blank=True)
    delay_reason = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(status="active"),
                name="one_active_plan_per_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=366),
                name="plan_duration_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency_per_week__gte=1, frequency_per_week__lte=14),
                name="plan_frequency_in_range",
            ),
        ]


class PlanDiagnosis(OrgOwned):
    """A diagnosis on the plan, in the order claims will list it (1 is primary)."""

    plan = models.ForeignKey(PlanOfCare, on_delete=models.CASCADE, related_name="plan_diagnoses")
    diagnosis = models.ForeignKey(
        "patients.PatientDiagnosis", on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="plan_diagnosis_rank_unique"),
            models.UniqueConstraint(fields=["plan", "diagnosis"], name="plan_diagnosis_unique"),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=12), name="plan_diagnosis_rank_1_to_12"
            ),
        ]


class GoalTerm(models.TextChoices):
    LONG = "long", "Long-term"
    SHORT = "short", "Short-term"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    MET = "met", "Met"
    PARTIALLY_MET = "partially_met", "Partially met"
    NOT_MET = "not_met", "Not met"
    DISCONTINUED = "discontinued", "Discontinued"


class Goal(OrgOwned):
    """A measurable goal: what is measured, where it starts, where it should be, and by when."""

    plan = models.ForeignKey(PlanOfCare, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(max_length=5, choices=GoalTerm.choices)
    description = models.TextField()
    measure = models.CharField(max_length=80, help_text="e.g. grip strength, Barthel Index")
    unit = models.CharField(max_length=16, blank=True)
    baseline = models.DecimalField(max_digits=8, decimal_places=2)
    target = models.DecimalField(max_digits=8, decimal_places=2)
    target_date = models.DateField()
    status = models.CharField(max_length=14, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["term", "position"]


class PlannedIntervention(OrgOwned):
    """An intervention the plan calls for, by category and code."""

    plan = models.ForeignKey(PlanOfCare, on_delete=models.CASCADE, related_name="interventions")
    category = models.CharField(max_length=32, choices=CATEGORY_CHOICES)
    code = models.CharField(max_length=5)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "category", "code"], name="planned_intervention_unique"
            ),
        ]


class Recertification(OrgOwned):
    """A later signed certification and the day it covers through."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="recertifications")
    plan = models.ForeignKey(PlanOfCare, on_delete=models.PROTECT, related_name="recertifications")
    physician = models.ForeignKey(
        "referrals.ReferringPhysician", on_delete=models.PROTECT, related_name="+"
    )
    certified_on = models.DateField()
    through = models.DateField()

    class Meta:
        ordering = ["certified_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(through__gte=models.F("certified_on")),
                name="recert_through_after_signed",
            ),
        ]


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    COSIGN_PENDING = "cosign_pending", "Waiting for co-signature"
    RETURNED = "returned", "Returned with comments"
    COSIGNED = "cosigned", "Co-signed"


class TreatmentNote(OrgOwned):
    """The daily treatment note: a legal record of one visit.

    Totals are computed from the lines by the service, never typed. `revision` guards against
    two people saving one draft: a save with a stale revision is refused.
    """

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    visit = models.OneToOneField(
        "scheduling.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="note"
    )
    date_of_service = models.DateField()
    author = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="notes")
    status = models.CharField(max_length=16, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    patient_present = models.BooleanField(default=True)
    caregiver_consent = models.BooleanField(default=False)
    subjective = models.TextField(blank=True)
    patient_response = models.TextField(blank=True)
    changes_in_condition = models.TextField(blank=True)
    plan_next_visit = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    total_timed_minutes = models.PositiveSmallIntegerField(default=0)
    total_treatment_minutes = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date_of_service"]
        indexes = [models.Index(fields=["organization", "date_of_service"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_timed_minutes__lte=models.F("total_treatment_minutes")),
                name="note_timed_within_treatment_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_at__isnull=False),
                name="note_signed_has_time",
            ),
        ]

    @property
    def locked(self) -> bool:
        return self.status != NoteStatus.DRAFT


class NoteLine(OrgOwned):
    """One intervention on a note: its code, category and who furnished how many minutes."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=1)
    code = models.CharField(max_length=5)
    category = models.CharField(max_length=32, choices=CATEGORY_CHOICES)
    description = models.CharField(max_length=200, blank=True)
    therapist_minutes = models.PositiveSmallIntegerField(default=0)
    assistant_minutes = models.PositiveSmallIntegerField(default=0)
    together_minutes = models.PositiveSmallIntegerField(default=0)
    separate_time_block = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^([0-9]{5}|[A-Z][0-9]{4})$"),
                name="note_line_code_form",
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=[c.value for c in InterventionCategory]),
                name="note_line_category_known",
            ),
        ]


class GoalProgress(OrgOwned):
    """A goal addressed on a note, with the measure taken that day."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.CASCADE, related_name="goal_progress")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "goal"], name="goal_progress_once_per_note"),
        ]


class SignatureMeaning(models.TextChoices):
    AUTHOR = "author", "Author"
    COSIGNER = "cosigner", "Co-signer"


class Signature(OrgOwned):
    """An electronic signature on exactly one document, with a hash of what was signed."""

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    meaning = models.CharField(max_length=10, choices=SignatureMeaning.choices)
    credentials = models.CharField(max_length=40, help_text="As shown at signing, e.g. COTA/L")
    signed_at = models.DateTimeField()
    content_sha256 = models.CharField(max_length=64)
    note = models.ForeignKey(
        TreatmentNote, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    plan = models.ForeignKey(
        PlanOfCare, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    addendum = models.ForeignKey(
        "care.Addendum", on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        note__isnull=False,
                        evaluation__isnull=True,
                        plan__isnull=True,
                        addendum__isnull=True,
                    )
                    | models.Q(
                        note__isnull=True,
                        evaluation__isnull=False,
                        plan__isnull=True,
                        addendum__isnull=True,
                    )
                    | models.Q(
                        note__isnull=True,
                        evaluation__isnull=True,
                        plan__isnull=False,
                        addendum__isnull=True,
                    )
                    | models.Q(
                        note__isnull=True,
                        evaluation__isnull=True,
                        plan__isnull=True,
                        addendum__isnull=False,
                    )
                ),
                name="signature_on_exactly_one_document",
            ),
            models.CheckConstraint(
                condition=models.Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                name="signature_hash_form",
            ),
        ]


class Addendum(OrgOwned):
    """A dated correction or addition to a signed note; the original stays as it was."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["written_at"]
        verbose_name_plural = "addenda"
