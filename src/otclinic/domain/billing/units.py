"""Timed and untimed units.

Total time (MCPM Pub. 100-04 ch. 5 sec. 20.2): the day's timed minutes fix the total units by the
table 8-22 = 1, 23-37 = 2, ...; each code first gets its whole 15-minute blocks and the units left
go to the codes with the largest leftover minutes, one extra unit per code at most. The manual lets
a tie go either way; otclinic gives it to the lower code number (so the order of the input lines
never changes the result) and says so in a `units.tie_break` finding.

Per code (AMA CPT time rule): each code on its own by the same table.
"""

from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

BLOCK = 15
MIDPOINT = 8


def units_for_minutes(minutes: int) -> int:
    """Units that a number of timed minutes supports: 8-22 = 1, 23-37 = 2, ..."""
    if minutes < 0:
        raise ValueError(f"minutes cannot be negative: {minutes}")
    whole, rest = divmod(minutes, BLOCK)
    return whole + (1 if rest >= MIDPOINT else 0)


@dataclass(frozen=True, slots=True)
class Allocation:
    """Units per code (in the order given) and how the last units were decided."""

    units: tuple[int, ...]
    total_units: int
    full_units: int
    tie_winners: tuple[str, ...] = ()
    tie_losers: tuple[str, ...] = ()


def allocate_total_time(codes: tuple[str, ...], minutes: tuple[int, ...]) -> Allocation:
    """Share the units the total timed minutes support among the codes (MCPM 20.2)."""
    total_units = units_for_minutes(sum(minutes))
    units = [m // BLOCK for m in minutes]
    full = sum(units)
    left = total_units - full
    # Largest leftover first; equal leftovers go to the lower code number.
    order = sorted(range(len(codes)), key=lambda i: (-(minutes[i] % BLOCK), codes[i]))
    for i in order[:left]:
        units[i] += 1
    winners, losers = _tie(codes, minutes, order, left)
    return Allocation(tuple(units), total_units, full, winners, losers)


def _tie(
    codes: tuple[str, ...], minutes: tuple[int, ...], order: list[int], left: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The codes the tie-break decided between: equal leftovers on both sides of the cut."""
    if left <= 0 or left >= len(order):
        return (), ()
    cut = minutes[order[left - 1]] % BLOCK
    if cut == 0 or minutes[order[left]] % BLOCK != cut:
        return (), ()
    winners = tuple(codes[i] for i in order[:left] if minutes[i] % BLOCK == cut)
    losers = tuple(codes[i] for i in order[left:] if minutes[i] % BLOCK == cut)
    return winners, losers


def tie_alternatives(codes: tuple[str, ...], allocation: Allocation) -> list[Allocation]:
    """Every way of giving the tied last units, lower code numbers first (the first is the
    allocation `allocate_total_time` made)."""
    winners, losers = allocation.tie_winners, allocation.tie_losers
    tied = sorted((*winners, *losers))
    base = [
        u - (1 if code in winners else 0) for code, u in zip(codes, allocation.units, strict=True)
    ]
    choices = []
    for chosen in combinations(tied, len(winners)):
        units = tuple(u + (1 if code in chosen else 0) for code, u in zip(codes, base, strict=True))
        rest = tuple(code for code in tied if code not in chosen)
        choices.append(replace(allocation, units=units, tie_winners=chosen, tie_losers=rest))
    return choices


def units_by_midpoint(minutes: int, unit_minutes: int) -> int:
    """Units of a code whose unit is `unit_minutes` long, by the CPT time rule: a unit is
    attained when its midpoint is passed (31 minutes of an hour, 8 of 15 minutes)."""
    if minutes < 0:
        raise ValueError(f"minutes cannot be negative: {minutes}")
    whole, rest = divmod(minutes, unit_minutes)
    return whole + (1 if 2 * rest > unit_minutes else 0)


def allocate_per_code(minutes: tuple[int, ...]) -> tuple[int, ...]:
    """Each code's units from its own minutes (AMA/CPT midpoint rule)."""
    return tuple([units_for_minutes(m) for m in minutes])


def base_and_addon_units(minutes: int, parameters: dict[str, Any]) -> tuple[int, int]:
    """Units of a base code for the first `base_minutes` and add-on units after it.

    The base unit is earned from `base_threshold` minutes; each add-on unit covers
    `addon_minutes` more, the last one from its `addon_threshold`-th minute.
    """
    if minutes < parameters["base_threshold"]:
        return 0, 0
    past = max(0, minutes - parameters["base_minutes"])
    whole, rest = divmod(past, parameters["addon_minutes"])
    return 1, whole + (1 if rest >= parameters["addon_threshold"] else 0)


def plural(count: int, word: str) -> str:
    """'1 unit', '2 units'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
