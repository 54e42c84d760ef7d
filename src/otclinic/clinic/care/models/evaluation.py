"""Evaluations and re-evaluations, with their scored assessments."""

from django.db import models

from otclinic.clinic.care.models.episode import Episode
from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.care.assessments import instrument_label


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

    @property
    def label(self) -> str:
        """The instrument in words, from the measures' data (never the stored key)."""
        return instrument_label(self.instrument)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evaluation__isnull=False) | models.Q(note__isnull=False),
                name="score_belongs_to_a_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_label}: {self.value.normalize():f} {self.unit}".strip()

    @property
    def instrument_label(self) -> str:
        """The assessment's name in words, not its stored key."""
        return instrument_label(self.instrument)
