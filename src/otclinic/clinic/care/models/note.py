"""The daily treatment note, its interventions and the goals it addressed."""

from django.db import models

from otclinic.clinic.care.models.episode import Episode
from otclinic.clinic.care.models.plan import CATEGORY_CHOICES, Goal
from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.codes import InterventionCategory


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    COSIGN_PENDING = "cosign_pending", "Waiting for co-signature"
    RETURNED = "returned", "Returned with comments"
    COSIGNED = "cosigned", "Co-signed"


class NotBillableReason(models.TextChoices):
    """Why a signed note is not billed (the clinician's statement at signing)."""

    PATIENT_REFUSED = "patient_refused", "Patient refused treatment"
    STOPPED_MEDICAL = "stopped_medical", "Treatment stopped for a medical reason"
    UNDER_8_MINUTES = "under_8_minutes", "Under 8 timed minutes: no billable unit"
    NO_SKILLED_SERVICE = "no_skilled_service", "Documentation only / no skilled service"
    NO_CHARGE = "no_charge", "No-charge (courtesy) visit"
    OTHER = "other", "Other (say why)"


class TreatmentNote(OrgOwned):
    """The daily treatment note: a legal record of one visit.

    Totals are computed from the lines by the service, never typed. `revision` guards against
    two people saving one draft: a save with a stale revision is refused. The text follows SOAP:
    `subjective`, the structured entries (objective), `assessment`, `plan_next_visit`.
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
    assessment = models.TextField(blank=True)
    plan_next_visit = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    total_timed_minutes = models.PositiveSmallIntegerField(default=0)
    total_treatment_minutes = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    # The page (one load of the editing form) that saved this revision: a page may save over
    # its own autosave without a revision conflict; any other page or device may not.
    editor = models.CharField(max_length=36, blank=True, editable=False)
    carried_forward_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cosign_required = models.BooleanField(
        default=False, help_text="Set at signing from the supervision rules that apply"
    )
    cosign_reason = models.CharField(max_length=300, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    not_billable = models.BooleanField(
        default=False, help_text="Signed as not billable: no charge is made from this note"
    )
    not_billable_reason = models.CharField(
        max_length=24, choices=NotBillableReason.choices, blank=True
    )
    not_billable_detail = models.CharField(max_length=300, blank=True)
    # The narrative began as a language model's draft that the author took into the editor: the
    # signed note says "Drafted with assistance, reviewed by" its signer.
    drafted_with_assistance = models.BooleanField(default=False, editable=False)
    # Set by billing when it makes the note's charges: the notes still to charge are then read
    # from a small index instead of joining every signed note with every charge.
    charged = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-date_of_service"]
        indexes = [
            models.Index(fields=["organization", "date_of_service"]),
            models.Index(
                fields=["organization", "date_of_service"],
                condition=models.Q(
                    charged=False, not_billable=False, status__in=["signed", "cosigned"]
                ),
                name="note_to_charge",
            ),
            # The claims page's latest notes signed as not billable, and their count.
            models.Index(
                "organization",
                models.F("date_of_service").desc(),
                models.F("signed_at").desc(),
                condition=models.Q(not_billable=True),
                name="note_not_billable_latest",
            ),
            # The queues by status (drafts, co-signature, returned) without reading every note.
            models.Index(
                fields=["organization", "status", "date_of_service"], name="note_status_day"
            ),
            # The review's bounded reads: a patient's latest notes (through their episodes) and
            # an author's latest notes, without reading either's whole history.
            models.Index("episode", models.F("date_of_service").desc(), name="note_episode_latest"),
            models.Index("author", models.F("date_of_service").desc(), name="note_author_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_timed_minutes__lte=models.F("total_treatment_minutes")),
                name="note_timed_within_treatment_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_at__isnull=False),
                name="note_signed_has_time",
            ),
            # A not-billable note says why; a billed one carries no reason. Only signing marks it.
            models.CheckConstraint(
                condition=(
                    models.Q(not_billable=False, not_billable_reason="")
                    | (models.Q(not_billable=True) & ~models.Q(not_billable_reason=""))
                ),
                name="note_not_billable_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(not_billable=False) | ~models.Q(status="draft"),
                name="note_not_billable_when_signed",
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
