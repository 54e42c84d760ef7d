"""Discipline and assistant modifiers, and the claim lines they split a code into.

GO/GP/GN go on every line billed under an OT/PT/SLP plan of care (MCPM Pub. 100-04 ch. 5).
CO (OTA) and CQ (PTA) mark a service furnished in whole or in part by an assistant (SSA 1834(v);
CY2020 PFS final rule): "in part" means the assistant's minutes without the therapist exceed 10%
(de minimis). Minutes furnished together count as the therapist's. Untimed codes take the test on
the whole service. Timed codes take it per unit (CY2021 and CY2022 PFS final rules): whole
15-minute blocks go to whoever furnished them alone, and for the minutes that remain (from 2022;
CY2022 PFS final rule, a check item):

- a clinician who furnished 8 or more of the remaining minutes earns a unit as theirs, the
  therapist first (so a final unit with 8 or more therapist minutes goes without CO, and when two
  units remain with 9-14 minutes each, one carries CO and one does not);
- any unit still undecided takes the 10% test on the remaining minutes.

The percentage, the per-unit switch and the 8 minutes are dated parameters in
rules/assistant_modifier.yaml (2020: whole service; 2021: per unit, 10% test only; 2022 on: the
final-unit rules above).
"""

from typing import NamedTuple

from otclinic.domain.billing.model import ClaimLine
from otclinic.domain.billing.units import plural

BLOCK = 15
MODIFIER_ORDER = {"GO": 0, "GP": 0, "GN": 0, "CO": 1, "CQ": 1, "KX": 2, "59": 3, "XU": 3}


class Split(NamedTuple):
    """How many of a service's units go without and with the assistant modifier, and why."""

    plain: int
    assisted: int
    reason: str


def exceeds_de_minimis(assistant: int, minutes: int, percent: int = 10) -> bool:
    """True when the assistant's own minutes are more than `percent` of the minutes (CY2020 PFS)."""
    return assistant * 100 > minutes * percent


def split_whole_service(*, units: int, therapist: int, assistant: int, percent: int = 10) -> Split:
    """The de minimis test on the whole service: every unit with the modifier, or none."""
    minutes = therapist + assistant
    if exceeds_de_minimis(assistant, minutes, percent):
        return Split(0, units, f"{assistant} of {minutes} min is more than {percent}%")
    return Split(units, 0, f"{assistant} of {minutes} min is {percent}% or less")


class Remainder(NamedTuple):
    """The units left after the whole blocks, and how the final-unit rules shared them out."""

    units: int
    t_rest: int
    a_rest: int
    plain: int
    assisted: int
    undecided: int
    tested: bool
    percent: int
    own: int

    @property
    def assisted_total(self) -> int:
        return self.assisted + (self.undecided if self.tested else 0)


def split_per_unit(
    *,
    units: int,
    therapist: int,
    assistant: int,
    percent: int = 10,
    final_unit_minutes: int | None = 8,
) -> Split:
    """The per-unit test for a timed code, with the final-unit rules (module docstring).

    The reason names the clinicians as {t} and {a}, for the caller to fill in.
    """
    assisted_blocks = min(assistant // BLOCK, units)
    therapist_blocks = min(therapist // BLOCK, units - assisted_blocks)
    rest = final_units(
        units - assisted_blocks - therapist_blocks,
        therapist % BLOCK,
        assistant % BLOCK,
        rule=(percent, final_unit_minutes),
    )
    reason = (
        f"whole 15-minute blocks: {therapist_blocks} by the {{t}}, {assisted_blocks} by the {{a}}; "
        f"{_remaining_reason(rest)}"
    )
    assisted = assisted_blocks + rest.assisted_total
    return Split(units - assisted, assisted, reason)


def final_units(
    units: int, t_rest: int, a_rest: int, *, rule: tuple[int, int | None] = (10, 8)
) -> Remainder:
    """Share the units left after whole blocks: a clinician with `final_unit_minutes` or more
    earns one (the therapist first), then the de minimis test decides the rest.

    `rule` is (de_minimis_percent, final_unit_minutes), from rules/assistant_modifier.yaml.
    """
    percent, owner_minutes = rule
    own = owner_minutes if owner_minutes is not None else BLOCK + 1  # None: nobody owns a unit
    plain = 1 if units >= 1 and t_rest >= own else 0
    assisted = 1 if units - plain >= 1 and a_rest >= own else 0
    tested = exceeds_de_minimis(a_rest, a_rest + t_rest, percent)
    undecided = units - plain - assisted
    return Remainder(units, t_rest, a_rest, plain, assisted, undecided, tested, percent, own)


def _remaining_reason(rest: Remainder) -> str:
    """Why the units left after the whole blocks went as they did ({t}/{a}: the two clinicians)."""
    if rest.units == 0:
        return "no unit left to decide"
    parts = []
    if rest.plain and rest.assisted:
        parts.append(
            f"each furnished {rest.own} or more, so one unit without the modifier and one with it"
        )
    elif rest.plain:
        parts.append(f"the {{t}} furnished {rest.own} or more, so one unit without the modifier")
    elif rest.assisted:
        parts.append(f"the {{a}} furnished {rest.own} or more, so one unit with it")
    if rest.undecided:
        share = f"{rest.percent}%"
        verdict = f"more than {share}, so with" if rest.tested else f"{share} or less, so without"
        minutes = rest.a_rest + rest.t_rest
        parts.append(f"the {{a}}'s {rest.a_rest} of {minutes} min is {verdict} the modifier")
    return (
        f"the remaining {plural(rest.units, 'unit')} from {rest.t_rest} {{t}} + {rest.a_rest} "
        "{a} min: " + "; ".join(parts)
    )


def ordered(modifiers: tuple[str, ...]) -> tuple[str, ...]:
    """Modifiers in claim order: discipline, assistant, KX, then 59/XU."""
    return tuple(sorted(set(modifiers), key=lambda m: (MODIFIER_ORDER.get(m, 9), m)))


def with_modifier(line: ClaimLine, modifier: str) -> ClaimLine:
    """The same claim line carrying one more modifier, in claim order."""
    if modifier in line.modifiers:
        return line
    return ClaimLine(line.code, line.units, ordered((*line.modifiers, modifier)))
