"""The therapist's documents beyond the daily note: progress reports, discharge, files."""

from django.conf import settings
from django.db import models

from otclinic.clinic.care.models.episode import Episode
from otclinic.clinic.care.models.plan import Goal, GoalStatus
from otclinic.clinic.common.models import OrgOwned


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class ProgressReport(OrgOwned):
    """A progress report for one reporting period (BPM ch. 15 sec. 220.3).

    An assistant may draft the objective elements; only the therapist completes and signs it,
    with an assessment of each goal.
    """

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="progress_reports")
    report_date = models.DateField()
    period_start = models.DateField()
    drafted_by = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        "staff.StaffProfile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    objective_findings = models.TextField(blank=True, help_text="Measurements and observations")
    assessment = models.TextField(blank=True, help_text="The therapist's judgement of progress")
    plan = models.TextField(blank=True)
    status = models.CharField(
        max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-report_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("report_date")),
                name="progress_period_starts_before_report",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(signed_at__isnull=False, author__isnull=False),
                name="progress_signed_has_author_and_time",
            ),
        ]


class DischargeSummary(OrgOwned):
    """The therapist's discharge note covering the last period, with goal outcomes."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="discharge")
    discharge_date = models.DateField()
    author = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(
        max_length=20,
        choices=[
            ("goals_met", "Goals met"),
            ("plateau", "Plateau in progress"),
            ("patient_choice", "Patient's choice"),
            ("medical", "Medical change"),
            ("benefits", "Benefits exhausted"),
            ("other", "Other"),
        ],
    )
    summary = models.TextField()
    recommendations = models.TextField(blank=True)
    status = models.CharField(
        max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "discharge summaries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_at__isnull=False),
                name="discharge_signed_has_time",
            ),
        ]


class GoalAssessment(OrgOwned):
    """The therapist's assessment of one goal in a progress report or at discharge."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="assessments")
    progress_report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goal_assessments",
    )
    discharge = models.ForeignKey(
        DischargeSummary,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goal_outcomes",
    )
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=14, choices=GoalStatus.choices)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(progress_report__isnull=False, discharge__isnull=True)
                    | models.Q(progress_report__isnull=True, discharge__isnull=False)
                ),
                name="goal_assessment_in_one_document",
            ),
        ]


class DocumentKind(models.TextChoices):
    PLAN_CERTIFICATION = "plan_certification", "Plan of care for certification"
    HOME_PROGRAM = "home_program", "Home program"
    CAREGIVER_HANDOUT = "caregiver_handout", "Caregiver handout"
    SIGNED_CERTIFICATION = "signed_certification", "Signed certification"
    EVALUATION = "evaluation", "Evaluation"
    PROGRESS_REPORT = "progress_report", "Progress report"
    DISCHARGE_SUMMARY = "discharge_summary", "Discharge summary"
    OTHER = "other", "Other"


class EpisodeDocument(OrgOwned):
    """A file kept with the episode: a generated PDF or an uploaded signed page."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="episodes/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_with_portal = models.BooleanField(default=False)
    # The signed record this PDF prints (an evaluation, progress report or discharge summary,
    # as `kind` says), for the record's page to find what was sent to the physician.
    source_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
