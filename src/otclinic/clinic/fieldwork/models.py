"""Fieldwork students: placements with their educator, the hours logged, midterm and final.

The rules these rows feed (ACOTE minimum weeks, educator eligibility, Medicare's student rule)
live in otclinic.domain.compliance.fieldwork; `adapters.py` turns these rows into its facts.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from otclinic.clinic.common.models import OrgOwned


class ProgramKind(models.TextChoices):
    """The student's program: occupational therapist (OT) or assistant (OTA)."""

    OT = "OT", "OT program"
    OTA = "OTA", "OTA program"


class FieldworkLevel(models.TextChoices):
    """ACOTE fieldwork levels: I (introductory) and II (in-depth, minimum weeks apply)."""

    I = "I", "Level I"  # noqa: E741 - the level's name
    II = "II", "Level II"


class FieldworkPlacement(OrgOwned):
    """One student's fieldwork at this practice, under one fieldwork educator."""

    student = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="fieldwork_placements"
    )
    program = models.CharField(max_length=3, choices=ProgramKind.choices)
    school = models.CharField(max_length=120)
    level = models.CharField(max_length=2, choices=FieldworkLevel.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    educator = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="fieldwork_students"
    )
    full_time_hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("40.0")
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="fieldwork_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(full_time_hours_per_week__gt=0, full_time_hours_per_week__lte=80),
                name="fieldwork_full_time_hours_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(educator=F("student")), name="fieldwork_educator_not_student"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} Level {self.level} fieldwork from {self.starts_on}"


class FieldworkHours(OrgOwned):
    """The hours a student worked on one day of a placement."""

    placement = models.ForeignKey(
        FieldworkPlacement, on_delete=models.CASCADE, related_name="hours"
    )
    worked_on = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["worked_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "worked_on"], name="fieldwork_hours_one_row_per_day"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=24), name="fieldwork_hours_within_a_day"
            ),
        ]


class EvaluationKind(models.TextChoices):
    MIDTERM = "midterm", "Midterm"
    FINAL = "final", "Final"


class FieldworkEvaluation(OrgOwned):
    """The midterm or final evaluation of a placement (e.g. the AOTA Fieldwork Performance Evaluation)."""

    placement = models.ForeignKey(
        FieldworkPlacement, on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(max_length=7, choices=EvaluationKind.choices)
    evaluated_on = models.DateField()
    score = models.DecimalField(max_digits=5, decimal_places=1)
    passed = models.BooleanField()
    notes = models.TextField(blank=True)
    evaluator = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, related_name="fieldwork_evaluations"
    )

    class Meta:
        ordering = ["evaluated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"], name="fieldwork_evaluation_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="fieldwork_evaluation_score_not_negative"
            ),
        ]
