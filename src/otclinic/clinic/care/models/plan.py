"""The plan of care: goals, interventions, frequency and duration, certification."""

import datetime as dt

from django.db import models

from otclinic.clinic.care.models.episode import Episode
from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.codes import InterventionCategory

CATEGORY_CHOICES = [(c.value, c.label) for c in InterventionCategory]


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

    @property
    def certification_end(self) -> dt.date:
        """The last day the plan's certification covers (day 1 is the evaluation day)."""
        return self.established_on + dt.timedelta(days=self.duration_days - 1)


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
