"""The applicant pipeline: its stages and which moves between them are allowed.

otclinic's own workflow (issue 7), not a regulation. The decisions, also in docs/hiring.md:

- Forward one stage at a time: applied -> screened -> interviewed -> offered -> hired. Skipping a
  stage is refused, so every applicant who reaches an offer was screened and interviewed.
- One step back before an offer (screened -> applied, interviewed -> screened) corrects a slip
  of the finger; an offer is withdrawn by declining it, with the reason.
- Any stage before hired may move to declined; declining needs a reason.
- Hired is final: the applicant is a member of staff, whose record lives in the staff app.
- Declined is final except for re-opening by a clinic admin, back to any stage before an offer
  (applied, screened or interviewed); an offer is made again only through the offer's checks.

Making an offer and hiring have further conditions (the verification and onboarding
checklists, `checklist.py`); this table only says whether the move itself exists.
"""

from enum import StrEnum


class Stage(StrEnum):
    """Where an applicant is in the pipeline, in pipeline order."""

    APPLIED = "applied"
    SCREENED = "screened"
    INTERVIEWED = "interviewed"
    OFFERED = "offered"
    HIRED = "hired"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_final(self) -> bool:
        return self in {Stage.HIRED, Stage.DECLINED}


PIPELINE_ORDER: tuple[Stage, ...] = tuple(Stage)
BEFORE_OFFER = frozenset({Stage.APPLIED, Stage.SCREENED, Stage.INTERVIEWED})

ALLOWED_MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.APPLIED: frozenset({Stage.SCREENED, Stage.DECLINED}),
    Stage.SCREENED: frozenset({Stage.INTERVIEWED, Stage.APPLIED, Stage.DECLINED}),
    Stage.INTERVIEWED: frozenset({Stage.OFFERED, Stage.SCREENED, Stage.DECLINED}),
    Stage.OFFERED: frozenset({Stage.HIRED, Stage.DECLINED}),
    Stage.HIRED: frozenset(),
    Stage.DECLINED: BEFORE_OFFER,
}


def move_refusal(current: Stage, target: Stage, *, reason: str = "") -> str | None:
    """Why moving from `current` to `target` is refused, or None when the move is allowed."""
    if target == current:
        return f"The applicant is already {current.value}."
    if current == Stage.HIRED:
        return "The applicant is hired: no further moves (their record is now a staff profile)."
    if target not in ALLOWED_MOVES[current]:
        allowed = ", ".join(s.value for s in PIPELINE_ORDER if s in ALLOWED_MOVES[current])
        return f"An applicant who is {current.value} can move to {allowed}; not to {target.value}."
    if target == Stage.DECLINED and not reason.strip():
        return "Give the reason the applicant is declined."
    return None


def board_moves(current: Stage) -> tuple[Stage, ...]:
    """The moves a pipeline board offers as buttons: allowed, except declining (which needs a
    reason) and hiring (which is the hire, on the applicant's page), in pipeline order."""
    return tuple(
        s
        for s in PIPELINE_ORDER
        if s in ALLOWED_MOVES[current] and s not in {Stage.DECLINED, Stage.HIRED}
    )
