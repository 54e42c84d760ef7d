"""Visits a payer authorized, against the visits booked or completed on that coverage: in
all (the coverage's figure), and per discipline between an authorization's dates."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


def authorization_problem(*, authorized: int | None, used: int, adding: int = 1) -> str | None:
    """Why booking `adding` more visits exceeds the authorization, or None when it fits.

    `used` counts the coverage's booked and completed visits; cancellations and no-shows free
    their visit. No authorized figure means the payer sets no visit limit.
    """
    if authorized is None or used + adding <= authorized:
        return None
    first = used + 1
    which = f"visit {first}" if adding == 1 else f"visits {first}-{used + adding}"
    return (
        f"{which} of {authorized} authorized: the coverage's authorization allows "
        f"{authorized} visits and {used} are already booked or completed"
    )


@dataclass(frozen=True)
class AuthorizedPeriod:
    """A payer's prior authorization for one discipline: `visits` between two dates, of which
    `used` are already booked or completed."""

    number: str
    discipline: str
    visits: int
    starts_on: dt.date
    ends_on: dt.date
    used: int

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _span(period: AuthorizedPeriod) -> str:
    return f"{period.number} runs {period.starts_on:%m/%d/%Y} to {period.ends_on:%m/%d/%Y}"


def authorized_period_problem(
    *, discipline: str, day: dt.date, periods: Sequence[AuthorizedPeriod], adding: int = 1
) -> str | None:
    """Why a visit of `discipline` on `day` falls outside the payer's authorizations for that
    discipline, or None when one covers it with visits to spare (or the payer gave none).

    Of several authorizations in force that day, the one with the most visits left counts the
    visit; the count itself is `authorization_problem`'s.
    """
    mine = [p for p in periods if p.discipline == discipline]
    if not mine:
        return None
    covering = [p for p in mine if p.covers(day)]
    if not covering:
        spans = "; ".join(_span(p) for p in mine)
        return (
            f"no {discipline} authorization covers {day:%m/%d/%Y} ({spans}): ask the payer "
            "for an authorization for these dates before booking"
        )
    best = max(covering, key=lambda p: p.visits - p.used)
    problem = authorization_problem(authorized=best.visits, used=best.used, adding=adding)
    return f"{discipline} authorization {best.number}: {problem}" if problem else None
