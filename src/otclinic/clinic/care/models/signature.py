"""Signatures on clinical documents, and addenda to signed notes."""

import functools
import operator

from django.conf import settings
from django.db import models

from otclinic.clinic.care.models.evaluation import Evaluation
from otclinic.clinic.care.models.note import TreatmentNote
from otclinic.clinic.care.models.plan import PlanOfCare
from otclinic.clinic.common.models import OrgOwned

SIGNED_DOCUMENTS = ("note", "evaluation", "plan", "addendum", "progress_report", "discharge")


def exactly_one_of(fields: tuple[str, ...]) -> models.Q:
    """A condition that holds when exactly one of the nullable foreign keys is set."""
    alternatives = [models.Q(**{f"{f}__isnull": f != chosen for f in fields}) for chosen in fields]
    return functools.reduce(operator.or_, alternatives)


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
    progress_report = models.ForeignKey(
        "care.ProgressReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    discharge = models.ForeignKey(
        "care.DischargeSummary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of(SIGNED_DOCUMENTS), name="signature_on_exactly_one_document"
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


class CosignDecision(models.TextChoices):
    COSIGNED = "cosigned", "Co-signed"
    RETURNED = "returned", "Returned with comments"


class CosignReview(OrgOwned):
    """The supervising therapist's decision on an assistant's or student's signed note."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.PROTECT, related_name="cosign_reviews")
    reviewer = models.ForeignKey("staff.StaffProfile", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=CosignDecision.choices)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    sampled = models.BooleanField(
        default=False, help_text="Chosen by the sampled-review mode rather than required by a rule"
    )

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="returned") | ~models.Q(comment=""),
                name="cosign_return_has_comment",
            ),
        ]
