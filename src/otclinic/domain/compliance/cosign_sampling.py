"""Sampled review: whether a note that needs no co-signature is picked for the OT's review.

A clinic may ask its supervising OTs to review a share of their assistants' notes that no rule
requires them to co-sign (clinic policy: supervision is the OT's responsibility, 42 CFR 410.59(c)(2)
and the states' practice rules, and the co-signature rules only set a floor). Each eligible note
gets one draw, an integer in [0, DRAW_RANGE), recorded with the clinic's percentage at the time; the
note is picked when the draw falls below percentage x DRAW_RANGE / 100. The draw, not a hidden
state, decides, so anyone can re-check a pick from the log. A rule that requires co-signature always
wins: such a note is not sampled at all.
"""

from dataclasses import dataclass

from otclinic.domain.codes import Role

DRAW_RANGE = 10_000
SAMPLING_RULE_ID = "supervision.sampled_review"
SAMPLING_CITATION = (
    "Clinic policy (sampled review of notes no rule requires co-signing); supervision is the "
    "OT's responsibility: 42 CFR 410.59(c)(2) and the state's practice rules"
)
SAMPLED_ROLES = frozenset({Role.OTA, Role.PTA, Role.STUDENT})


@dataclass(frozen=True, slots=True)
class SampleDecision:
    """One note's draw, the percentage it was drawn against, and whether it was picked."""

    percent: int
    draw: int
    picked: bool

    @property
    def plain(self) -> str:
        """What the pick means, in the user's words (the draw itself is in `figures`)."""
        if self.picked:
            return (
                f"Picked at random for the supervising OT's review: the clinic reviews "
                f"{self.percent}% of the notes that need no co-signature."
            )
        return (
            f"Not picked for a sampled review (the clinic reviews {self.percent}% of the notes "
            "that need no co-signature)."
        )

    @property
    def figures(self) -> tuple[tuple[str, str], ...]:
        """The arithmetic behind the pick, for "Why?"."""
        threshold = self.percent * DRAW_RANGE // 100
        return (
            ("Draw", f"{self.draw} (a whole number from 0 to {DRAW_RANGE - 1})"),
            ("Picked when the draw is below", f"{threshold} ({self.percent}% of {DRAW_RANGE})"),
        )

    @property
    def reason(self) -> str:
        threshold = self.percent * DRAW_RANGE // 100
        verdict = "below" if self.picked else "not below"
        return (
            f"Sampled review: the clinic reviews {self.percent}% of notes; draw {self.draw} is "
            f"{verdict} {threshold} (of 0-{DRAW_RANGE - 1})"
        )


def eligible_for_sampling(
    *, author_role: Role, cosign_required: bool, has_supervisor: bool
) -> bool:
    """An assistant's or student's note with a supervisor and no required co-signature."""
    return author_role in SAMPLED_ROLES and not cosign_required and has_supervisor


def sample_decision(*, percent: int, draw: int) -> SampleDecision:
    """Picked when `draw` < `percent`% of DRAW_RANGE: 0% never picks, 100% always does."""
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be 0-100: {percent}")
    if not 0 <= draw < DRAW_RANGE:
        raise ValueError(f"draw must be 0-{DRAW_RANGE - 1}: {draw}")
    return SampleDecision(percent=percent, draw=draw, picked=draw * 100 < percent * DRAW_RANGE)
