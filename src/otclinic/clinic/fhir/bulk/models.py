"""One FHIR bulk export (`$export`): what was asked, by whom (a user or a Backend Services
client), how far it got, its files.

The files live in the default storage under `fhir-export/<organization>/<export>/`; the row
names them (`output`, `errors`) with their line counts and, for the audit of each download,
the patients each file holds. Nothing here is logged.
"""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned


class ExportLevel(models.TextChoices):
    SYSTEM = "system", "Every resource of the organization"
    PATIENT = "patient", "Every patient's compartment"
    GROUP = "group", "A group's patients"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


# An export whose files may still be on storage.
HOLDS_FILES = (ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED)


class BulkExport(OrgOwned):
    # Who started it: a user, or a SMART Backend Services client (exactly one).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    client = models.ForeignKey(
        "smart.SmartClient", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    level = models.CharField(max_length=10, choices=ExportLevel.choices)
    group_id = models.CharField(max_length=64, blank=True)
    types = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    # The SMART scopes granted to the caller (None: a session, basic or API-token caller,
    # limited by role only).
    scopes = models.JSONField(null=True, blank=True)
    request_url = models.TextField()
    # Where the server answered the kick-off: the mappers' attachment URLs and the file URLs.
    site_url = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    transaction_time = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # [{"type", "name", "count", "patients": [ids]}]: the NDJSON files written.
    output = models.JSONField(default=list, blank=True)
    # [{"type": "OperationOutcome", "name", "count"}]: the resources that could not be written.
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="bulkexport_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=ExportLevel.values), name="bulkexport_level_known"
            ),
            models.CheckConstraint(
                condition=models.Q(requested_by__isnull=False, client__isnull=True)
                | models.Q(requested_by__isnull=True, client__isnull=False),
                name="bulkexport_one_requester",
            ),
        ]

    @property
    def base_url(self) -> str:
        return f"{self.site_url}/fhir/R4"

    def file_names(self) -> list[str]:
        return [f["name"] for f in [*self.output, *self.errors]]
