"""Charges from signed notes: the engine's lines, fees, expected allowed amounts and KX."""

import datetime as dt
from decimal import Decimal

import pytest

from otclinic.clinic.revenue.charges import (
    NoteNotBillable,
    billable_notes,
    charges_create_for_note,
    charges_create_for_signed_notes,
)
from otclinic.clinic.revenue.fees import FeeMissing
from otclinic.clinic.revenue.models import Charge, ThresholdOpeningBalance
from otclinic.clinic.revenue.threshold import ytd_allowed
from tests.clinic.revenue.claims.builders import billing_practice, fee_schedule, note

pytestmark = pytest.mark.django_db
D = Decimal


def lines_of(charges: list[Charge]) -> list[tuple[str, int, tuple[str, ...], Decimal]]:
    return [(c.code, c.units, tuple(sorted(c.modifiers)), c.amount) for c in charges]


def test_an_ota_alone_gets_co_on_every_unit_and_85_percent_expected() -> None:
    b = billing_practice()
    made = note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    [charge] = charges_create_for_note(note=made)
    assert lines_of([charge]) == [("97530", 3, ("CO", "GO"), D("360.00"))]
    # MPPR: 3 x 35.10 - 2 x 7.00 = 91.30; 85% = 77.605 -> 77.61.
    assert charge.expected_allowed == D("77.61")


def test_ot_and_ota_twelve_minutes_each_split_into_a_co_line_and_a_plain_line() -> None:
    b = billing_practice()
    made = note(b, ("97530", {"therapist_minutes": 12, "assistant_minutes": 12}), author=b.ota)
    charges = charges_create_for_note(note=made)
    assert sorted(lines_of(charges)) == [
        ("97530", 1, ("CO", "GO"), D("120.00")),
        ("97530", 1, ("GO",), D("120.00")),
    ]
    by_modifiers = {tuple(sorted(c.modifiers)): c.expected_allowed for c in charges}
    assert by_modifiers[("GO",)] == D("35.10")
    assert by_modifiers[("CO", "GO")] == D("23.89")  # (35.10 - 7.00) x 0.85


def test_a_separate_time_block_puts_59_on_the_column_two_code() -> None:
    b = billing_practice()
    made = note(
        b,
        ("97140", {"therapist_minutes": 15}),
        ("97530", {"therapist_minutes": 15, "separate_time_block": True}),
    )
    charges = charges_create_for_note(note=made)
    modifiers = {c.code: set(c.modifiers) for c in charges}
    assert "59" in modifiers["97530"] or "XU" in modifiers["97530"]
    assert modifiers["97140"] == {"GO"}


def test_creating_charges_twice_creates_nothing_the_second_time() -> None:
    b = billing_practice()
    made = note(b)
    first = charges_create_for_note(note=made)
    assert len(first) == 1
    assert charges_create_for_note(note=made) == []
    assert Charge.objects.filter(note=made).count() == 1


def test_a_charged_note_leaves_the_notes_to_charge_and_its_flag_only_narrows_the_search() -> None:
    b = billing_practice()
    made = note(b)
    assert list(billable_notes(made.organization_id)) == [made]
    charges_create_for_note(note=made)
    made.refresh_from_db()
    assert made.charged
    assert not billable_notes(made.organization_id).exists()
    # A note charged before the flag was kept (or by another writer) is still left out.
    type(made).objects.filter(pk=made.pk).update(charged=False)
    assert not billable_notes(made.organization_id).exists()


@pytest.mark.parametrize("status", ["draft", "cosign_pending", "returned"])
def test_a_note_not_yet_signed_or_cosigned_waits(status: str) -> None:
    b = billing_practice()
    made = note(b, status=status, author=b.ota)
    with pytest.raises(NoteNotBillable, match="signed"):
        charges_create_for_note(note=made)
    assert not Charge.objects.filter(note=made).exists()


def test_a_cosigned_note_is_billed() -> None:
    b = billing_practice()
    made = note(b, status="cosigned", author=b.ota)
    assert len(charges_create_for_note(note=made)) == 1


def test_the_payers_own_schedule_comes_before_the_default() -> None:
    b = billing_practice()
    fee_schedule(b.org, year=2026, payer=b.payer, fees={"97530": ("99.00", "30.00", "10.00")})
    [charge] = charges_create_for_note(note=note(b, ("97530", {"therapist_minutes": 30})))
    assert charge.amount == D("198.00")
    assert charge.expected_allowed == D("55.00")  # 60.00 - 5.00 MPPR


def test_a_code_without_a_fee_is_named() -> None:
    b = billing_practice()
    made = note(b, day=dt.date(2027, 1, 5))
    with pytest.raises(FeeMissing, match="no 2027 fee for 97530"):
        charges_create_for_note(note=made)


def test_kx_lands_on_the_line_that_passes_the_threshold_and_every_later_one() -> None:
    b = billing_practice()
    ThresholdOpeningBalance.objects.create(
        organization=b.org, patient=b.patient, year=2026, bucket="OT", amount=D("2440.00")
    )
    first = charges_create_for_note(
        note=note(b, ("97110", {"therapist_minutes": 15}), day=dt.date(2026, 3, 10))
    )
    assert first[0].modifiers == ["GO"]  # 2440.00 + 30.00 = 2470.00, under 2480.00
    assert ytd_allowed(patient_id=b.patient.pk, bucket="OT", through=dt.date(2026, 3, 11)) == D(
        "2470.00"
    )
    passing = charges_create_for_note(note=note(b, ("97530", {"therapist_minutes": 15})))
    assert "KX" in passing[0].modifiers  # 2470.00 + 35.10 passes 2480.00
    later = charges_create_for_note(
        note=note(b, ("97110", {"therapist_minutes": 15}), day=dt.date(2026, 3, 13))
    )
    assert "KX" in later[0].modifiers


def test_without_an_opening_balance_the_same_visits_carry_no_kx() -> None:
    b = billing_practice()
    charges = charges_create_for_note(note=note(b, ("97530", {"therapist_minutes": 15})))
    assert "KX" not in charges[0].modifiers


def test_the_bulk_run_bills_signed_notes_and_reports_the_rest() -> None:
    b = billing_practice()
    note(b, day=dt.date(2026, 3, 10))
    note(b, day=dt.date(2026, 3, 11), author=b.ota, status="cosign_pending")
    without_fee = note(b, day=dt.date(2027, 1, 5))
    run = charges_create_for_signed_notes(user=b.biller)
    assert (run.notes_billed, run.charges_created) == (1, 1)
    assert [note_id for note_id, _ in run.skipped] == [without_fee.pk]
    again = charges_create_for_signed_notes(user=b.biller)
    assert (again.notes_billed, again.charges_created) == (0, 0)
