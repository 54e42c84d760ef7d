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
SAMPLED_ROLES = frozenset({Role.OTA, Role.PTA, Role.STUDENT})


@dataclass(frozen=True, slots=True)
class SampleDecision:
    """One note's draw, the percentage it was drawn against, and whether it was picked."""

    percent: int
    draw: int
    picked: bool

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
