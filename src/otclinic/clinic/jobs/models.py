"""Background jobs as the people who start them see them, and the periodic runs' claim table.

A `JobRun` is the user's record of one piece of long work (create charges, assemble claims,
export...): who started it, how far it got, what it made and what it had to leave aside. The
queue itself is django-tasks' (`task_result_id` names the queued task); this row is what the job
page shows. Errors name the patient and the date of service: the job page is an authorized page
of the organization, and nothing here is ever logged.
"""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import BaseModel, OrgOwned


class JobKind(models.TextChoices):
    CHARGES = "charges", "Create charges for signed notes"
    ASSEMBLE = "assemble", "Assemble draft claims"
    SCRUB = "scrub", "Scrub draft claims"
    EXPORT = "export", "Export 837P"
    ERA_IMPORT = "era_import", "Import an ERA (835)"
    STATEMENTS = "statements", "Patient statements"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class JobRun(OrgOwned):
    """One background job started by a person of the organization."""

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # What the job was asked to do (JSON), and an uploaded file it reads (the ERA's bytes).
    params = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField(null=True, blank=True, editable=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    step = models.CharField(max_length=200, blank=True)
    # {"summary": "...", "counts": {...}, "links": [{"label": ..., "url": ...}]}
    result = models.JSONField(default=dict, blank=True)
    # [{"message", "patient", "date_of_service", "url"}]: each unit left aside.
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "kind", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="jobrun_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=JobKind.values), name="jobrun_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class PeriodicRun(BaseModel):
    """One firing of a periodic job: the unique (name, slot) key lets exactly one scheduler of
    several fire each run; the row also says when it ran and how it ended (counts, no PHI)."""

    name = models.CharField(max_length=60)
    slot = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    ok = models.BooleanField(null=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.slot:%Y-%m-%d %H:%M}"
