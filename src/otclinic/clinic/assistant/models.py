"""An organization's language model settings, and each narrative draft asked of it.

The model's API key is never stored: the settings name the environment variable that holds it
(`api_key_env`), set on the server by whoever runs it. A draft's text and the placeholders'
originals are kept only until the clinician's page has taken the draft, then cleared.
"""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned

MAX_TIMEOUT_SECONDS = 120


class AssistantSettings(OrgOwned):
    """Whether, and which, language model drafts the organization's note narratives."""

    enabled = models.BooleanField(
        "offer the assistant on the note page",
        default=False,
        help_text="Off by default. When on, clinicians see a “Draft with assistant” button.",
    )
    base_url = models.URLField(
        "server address",
        blank=True,
        help_text="The OpenAI-compatible server, e.g. http://127.0.0.1:11434 for a local Ollama",
    )
    model = models.CharField("model name", max_length=120, blank=True)
    api_key_env = models.CharField(
        "environment variable holding the API key",
        max_length=64,
        blank=True,
        help_text="The key itself is never stored here; blank for a local server without a key",
    )
    timeout_seconds = models.PositiveSmallIntegerField(
        "time limit (seconds)", default=30, help_text=f"1 to {MAX_TIMEOUT_SECONDS}"
    )
    streaming = models.BooleanField("read the answer as it streams", default=True)

    class Meta:
        verbose_name_plural = "assistant settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="assistant_settings_once"),
            models.CheckConstraint(
                condition=models.Q(
                    timeout_seconds__gte=1, timeout_seconds__lte=MAX_TIMEOUT_SECONDS
                ),
                name="assistant_timeout_1_to_120_seconds",
            ),
            models.CheckConstraint(
                condition=models.Q(enabled=False) | (~models.Q(base_url="") & ~models.Q(model="")),
                name="assistant_enabled_names_a_model",
            ),
        ]


class DraftStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the assistant"
    RUNNING = "running", "The assistant is drafting"
    DONE = "done", "Drafted with assistance"
    FALLBACK = "fallback", "Standard draft (the assistant's was not used)"


FINISHED = (DraftStatus.DONE, DraftStatus.FALLBACK)


class AssistantDraft(OrgOwned):
    """One request for a narrative draft of a note, run as a background task."""

    note = models.ForeignKey(
        "care.TreatmentNote", on_delete=models.CASCADE, related_name="assistant_drafts"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=DraftStatus.choices, default=DraftStatus.QUEUED
    )
    # The minimised chat messages, and what each placeholder stands for (cleared when taken).
    messages = models.JSONField(default=list, blank=True)
    originals = models.JSONField(default=dict, blank=True)
    # The deterministic draft: what the page gets when the model's cannot be used.
    fallback = models.TextField(blank=True)
    text = models.TextField(blank=True)
    message = models.CharField(max_length=300, blank=True)
    model = models.CharField(max_length=120, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DraftStatus.values), name="assistant_draft_status"
            ),
        ]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", "Waiting for Accept or Discard"
    ACCEPTED = "accepted", "Accepted"
    DISCARDED = "discarded", "Discarded"


class ShorthandAsk(OrgOwned):
    """One request to read a note's unread shorthand lines, run as a background task.

    `proposals` holds, once read, one entry per line the model read and the checks passed
    (`line`, `text` (the line of the grammar it stands for), `code`, `minutes`, `who`,
    `assist_level`, `devices`, `state` (ProposalState), `note` (what was dropped)); `refused`
    the lines left unread with why. Nothing here is a note line until the clinician accepts it.
    """

    note = models.ForeignKey(
        "care.TreatmentNote", on_delete=models.CASCADE, related_name="assistant_shorthand"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=DraftStatus.choices, default=DraftStatus.QUEUED
    )
    # The minimised lines and what each placeholder stands for (cleared once read).
    lines = models.JSONField(default=list, blank=True)
    originals = models.JSONField(default=dict, blank=True)
    max_minutes = models.PositiveSmallIntegerField(default=120)
    proposals = models.JSONField(default=list, blank=True)
    refused = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=300, blank=True)
    model = models.CharField(max_length=120, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DraftStatus.values),
                name="assistant_shorthand_status",
            ),
        ]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def pending(self) -> list[dict[str, object]]:
        return [p for p in self.proposals if p.get("state") == ProposalState.PROPOSED]
