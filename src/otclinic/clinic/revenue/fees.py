"""Fee schedules: what the clinic charges and expects to be allowed, per payer and year.

A payer's own schedule for the year comes first; codes it does not list come from the clinic's
default schedule (no payer) for that year.
"""

import uuid
from collections.abc import Iterable

from otclinic.clinic.payers.models import Payer
from otclinic.clinic.revenue.models import FeeScheduleEntry


class FeeMissing(LookupError):
    """Codes with no fee for the year, neither in the payer's schedule nor in the default."""

    def __init__(self, *, codes: Iterable[str], year: int, payer: Payer | None) -> None:
        self.codes = sorted(set(codes))
        self.year = year
        whose = f"{payer.name}'s or the default" if payer else "the default"
        super().__init__(
            f"no {year} fee for {', '.join(self.codes)} in {whose} fee schedule: "
            f"add the code to a {year} fee schedule, then create the charges again"
        )


def fee_entries(
    *, organization_id: uuid.UUID, payer: Payer | None, year: int
) -> dict[str, FeeScheduleEntry]:
    """Every code's fee for `year`: the payer's schedule over the default one."""
    rows = FeeScheduleEntry.objects.for_org(organization_id).filter(schedule__year=year)
    default = rows.filter(schedule__payer__isnull=True)
    entries = {entry.code: entry for entry in default}
    if payer is not None:
        entries.update({entry.code: entry for entry in rows.filter(schedule__payer=payer)})
    return entries


def fees_for(
    *, organization_id: uuid.UUID, payer: Payer | None, year: int, codes: Iterable[str]
) -> dict[str, FeeScheduleEntry]:
    """The fees of `codes`; raises `FeeMissing` naming every code without one."""
    entries = fee_entries(organization_id=organization_id, payer=payer, year=year)
    return fees_among(entries, codes, year=year, payer=payer)


def fees_among(
    entries: dict[str, FeeScheduleEntry], codes: Iterable[str], *, year: int, payer: Payer | None
) -> dict[str, FeeScheduleEntry]:
    """The fees of `codes` among a year's `entries`; raises `FeeMissing` naming every code
    without one."""
    codes = list(codes)
    missing = [code for code in codes if code not in entries]
    if missing:
        raise FeeMissing(codes=missing, year=year, payer=payer)
    return {code: entries[code] for code in codes}
