"""The money facts of a note's billing visit, as the revenue cycle knows them.

Registered with `care.billing_adapter` when Django starts (`revenue.apps`), so the note page's
preview, signing and the charges all add up the therapy threshold (KX) from the same amounts:
each code's expected allowed amount per unit from the year's fee schedule (the payer's over the
default), and the patient's year-to-date allowed amount before this note (`threshold`).

`BatchAmounts` gives the same answers for many notes at once (a charge run): each payer's fee
schedule is read once per year, and the year-to-date amounts come from one `YtdLedger`.
"""

import uuid
from decimal import Decimal

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.billing_adapter import Amounts
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.revenue.fees import fee_entries
from otclinic.clinic.revenue.models import FeeScheduleEntry
from otclinic.clinic.revenue.threshold import YtdLedger, bucket_for, ytd_allowed
from otclinic.domain.codes import PayerPlan

Fees = dict[str, FeeScheduleEntry]
FeeCache = dict[tuple[uuid.UUID | None, int], Fees]  # (payer id, year) -> every code's fee


def amounts_for_note(note: TreatmentNote, codes: frozenset[str]) -> Amounts:
    """Expected allowed per unit of `codes` and the year-to-date allowed amount (Medicare Part
    B only: no other plan has a therapy threshold, so no other plan's visit reads it)."""
    episode = note.episode
    payer = episode.coverage.payer if episode.coverage else None
    entries = fee_entries(
        organization_id=note.organization_id, payer=payer, year=note.date_of_service.year
    )
    ytd = Decimal("0.00")
    if payer_plan_of(episode) is PayerPlan.MEDICARE_PART_B:
        ytd = ytd_allowed(
            patient_id=episode.patient_id,
            bucket=bucket_for(episode.discipline),
            through=note.date_of_service,
            exclude_note_id=note.pk,
        )
    return _amounts(entries, codes, ytd, note.date_of_service.year)


def _amounts(entries: Fees, codes: frozenset[str], ytd: Decimal, year: int) -> Amounts:
    allowed = {
        code: fee
        for code in codes
        if code in entries and (fee := entries[code].expected_allowed) is not None
    }
    without_fee = frozenset(code for code in codes if code not in entries)
    return Amounts(allowed_per_unit=allowed, ytd_allowed=ytd, year=year, without_fee=without_fee)


class BatchAmounts:
    """`amounts_for_note` for the notes of one organization, read in bulk: fee schedules once
    per payer and year, year-to-date amounts from `ledger` (which the caller keeps current by
    adding the charges it creates, in date order); `fees` may be shared between batches."""

    def __init__(
        self,
        *,
        organization_id: uuid.UUID,
        ledger: YtdLedger,
        fees: FeeCache | None = None,
    ) -> None:
        self.organization_id = organization_id
        self.ledger = ledger
        # (payer id, year) -> fees; a run passes the same dict to every batch, so each
        # schedule is read once per run.
        self._fees = {} if fees is None else fees

    def fees(self, *, payer: Payer | None, year: int) -> Fees:
        """Every code's fee for `year` under `payer` (a `Payer` or None), read once."""
        key = (payer.pk if payer else None, year)
        if key not in self._fees:
            self._fees[key] = fee_entries(
                organization_id=self.organization_id, payer=payer, year=year
            )
        return self._fees[key]

    def __call__(self, note: TreatmentNote, codes: frozenset[str]) -> Amounts:
        episode = note.episode
        payer = episode.coverage.payer if episode.coverage else None
        year = note.date_of_service.year
        ytd = Decimal("0.00")
        if payer_plan_of(episode) is PayerPlan.MEDICARE_PART_B:
            ytd = self.ledger.total(
                patient_id=episode.patient_id,
                bucket=bucket_for(episode.discipline),
                through=note.date_of_service,
                exclude_note_id=note.pk,
            )
        return _amounts(self.fees(payer=payer, year=year), codes, ytd, year)
