"""The sampled-review log: one recorded draw for every note eligible for sampled review."""

from django.db import models

from otclinic.clinic.care.models.note import TreatmentNote
from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.compliance.cosign_sampling import (
    DRAW_RANGE,
    SAMPLING_CITATION,
    SAMPLING_RULE_ID,
    sample_decision,
)
from otclinic.domain.compliance.explain import Explained, explain


class CosignSampleDraw(OrgOwned):
    """The draw that decided whether a signed note went to the OT for a sampled review.

    `percent` is the clinic's setting when the note was signed, `draw` an integer in
    [0, DRAW_RANGE); the note was picked when `draw` < `percent`% of the range. The database
    checks that `picked` agrees with the two, so the log cannot say otherwise.
    """

    note = models.OneToOneField(TreatmentNote, on_delete=models.PROTECT, related_name="sample_draw")
    clinic = models.ForeignKey("organizations.Clinic", on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField()
    draw = models.PositiveIntegerField()
    picked = models.BooleanField()
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["-drawn_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="sample_draw_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(draw__gte=0, draw__lt=DRAW_RANGE),
                name="sample_draw_in_range",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(picked=True, draw__lt=models.F("percent") * (DRAW_RANGE // 100))
                    | models.Q(picked=False, draw__gte=models.F("percent") * (DRAW_RANGE // 100))
                ),
                name="sample_draw_picked_matches_draw",
            ),
        ]

    def __str__(self) -> str:
        return f"Sampled-review draw for the note of {self.note.date_of_service}"

    def explained(self) -> Explained:
        """The pick in plain words, with the draw and its threshold behind "Why?"."""
        decision = sample_decision(percent=self.percent, draw=self.draw)
        return explain(
            SAMPLING_RULE_ID,
            decision.reason,
            citation=SAMPLING_CITATION,
            plain=decision.plain,
            figures=decision.figures,
        )
