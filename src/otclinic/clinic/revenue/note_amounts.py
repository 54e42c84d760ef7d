"""The money facts of a note's billing visit, as the revenue cycle knows them.

Registered with `care.billing_adapter` when Django starts (`revenue.apps`), so the note page's
preview, signing and the charges all add up the therapy threshold (KX) from the same amounts:
each code's expected allowed amount per unit from the year's fee schedule (the payer's over the
default), and the patient's year-to-date allowed amount before this note (`threshold`).
"""

from decimal import Decimal

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.billing_adapter import Amounts
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.revenue.fees import fee_entries
from otclinic.clinic.revenue.threshold import bucket_for, ytd_allowed
from otclinic.domain.codes import PayerPlan


def amounts_for_note(note: TreatmentNote, codes: frozenset[str]) -> Amounts:
    """Expected allowed per unit of `codes` and the year-to-date allowed amount (Medicare Part
    B only: no other plan has a therapy threshold, so no other plan's visit reads it)."""
    episode = note.episode
    payer = episode.coverage.payer if episode.coverage else None
    year = note.date_of_service.year
    entries = fee_entries(organization_id=note.organization_id, payer=payer, year=year)
    allowed = {
        code: entries[code].expected_allowed
        for code in codes
        if code in entries and entries[code].expected_allowed is not None
    }
    without_fee = frozenset(code for code in codes if code not in entries)
    ytd = Decimal("0.00")
    if payer_plan_of(episode) is PayerPlan.MEDICARE_PART_B:
        ytd = ytd_allowed(
            patient_id=episode.patient_id,
            bucket=bucket_for(episode.discipline),
            through=note.date_of_service,
            exclude_note_id=note.pk,
        )
    return Amounts(allowed_per_unit=allowed, ytd_allowed=ytd, year=year, without_fee=without_fee)
