"""What the clinician sees is what the claim says: the note page's billing preview (entries as
typed, before saving) and the charges created from the signed note carry the same lines, units
and modifiers, KX included, from the same allowed amounts."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.revenue.charges import charges_create_for_note, note_billing
from otclinic.clinic.revenue.models import ThresholdOpeningBalance
from otclinic.domain.billing import Decision
from tests.clinic import factories as f
from tests.clinic.fieldwork.helpers import EXPERIENCED, placement_row
from tests.clinic.revenue.claims.builders import DAY, Billing, billing_practice, fee_schedule, note

pytestmark = pytest.mark.django_db
D = Decimal
Line = tuple[str, int, tuple[str, ...]]


def opening_balance(b: Billing, amount: str) -> None:
    """Allowed amounts at other providers this year (the OT bucket), entered by the biller."""
    ThresholdOpeningBalance.objects.create(
        organization=b.org, patient=b.patient, year=DAY.year, bucket="OT", amount=D(amount)
    )


def typed(*lines: tuple[str, str, int]) -> svc.NoteContent:
    """Entries as typed on the page: (code, who, minutes) with who in therapist/assistant."""
    return svc.NoteContent(
        lines=tuple(
            svc.LineInput(code, "therapeutic_activity", **{f"{who}_minutes": minutes})
            for code, who, minutes in lines
        )
    )


def preview_then_charges(b: Billing, author: Any, content: svc.NoteContent) -> tuple[Any, ...]:
    """The preview of the typed entries, then the same entries saved, signed (and co-signed
    where required) and billed: (preview decision, charges, the note)."""
    draft = svc.note_start(user=author.user, episode=b.episode, date_of_service=DAY)
    preview = svc.preview_decision(note=draft, content=content)
    saved = svc.note_save(user=author.user, note=draft, revision=draft.revision, content=content)
    signed = svc.note_sign(user=author.user, note=saved, revision=saved.revision)
    if signed.status == NoteStatus.COSIGN_PENDING:
        svc.note_cosign(user=signed.author.supervising_ot.user, note=signed)
    return preview, charges_create_for_note(note=signed), signed


def preview_lines(decision: Decision) -> list[Line]:
    return [(line.code, line.units, line.modifiers) for line in decision.lines]


def charge_lines(charges: list[Any]) -> list[Line]:
    return [(c.code, c.units, tuple(c.modifiers)) for c in charges]


def kx_message(decision: Decision) -> str:
    [finding] = [f for f in decision.findings if f.rule_id == "threshold.kx"]
    return finding.message


def _student_of_an_ota_educator(b: Billing) -> Any:
    educator = f.StaffProfileFactory(
        user__organization=b.org,
        user__role="OTA",
        practice_started_on=EXPERIENCED,
        supervising_ot=b.ot,
    )
    student = f.StaffProfileFactory(
        user__organization=b.org, user__role="student", npi="", supervising_ot=educator
    )
    placement_row(student=student, educator=educator, program="OTA")
    return student


CASES = {
    # name: (opening balance, author, typed lines, what the claim must say)
    "ot alone, year over the threshold before the visit": (
        "3000.00",
        "ot",
        [("97530", "therapist", 38)],
        [("97530", 3, ("GO", "KX"))],
    ),
    "ota alone, this visit passes the threshold": (
        "2470.00",
        "ota",
        [("97530", "assistant", 23), ("97535", "assistant", 15)],
        [("97530", 2, ("GO", "CO", "KX")), ("97535", 1, ("GO", "CO", "KX"))],
    ),
    "under the threshold": (
        "1000.00",
        "ota",
        [("97530", "assistant", 38)],
        [("97530", 3, ("GO", "CO"))],
    ),
    "a student under an ota educator, over the threshold": (
        "3000.00",
        "student",
        [("97530", "therapist", 38)],
        [("97530", 3, ("GO", "CO", "KX"))],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_preview_and_the_charges_carry_the_same_lines_units_and_modifiers(case: str) -> None:
    balance, who, lines, expected = CASES[case]
    b = billing_practice()
    opening_balance(b, balance)
    author = _student_of_an_ota_educator(b) if who == "student" else getattr(b, who)
    preview, charges, signed = preview_then_charges(b, author, typed(*lines))
    assert preview_lines(preview) == expected
    assert charge_lines(charges) == expected
    # The same arithmetic: the year so far and this visit's allowed amounts, line by line.
    assert kx_message(preview) == kx_message(note_billing(signed).decision)


def test_the_threshold_crossed_mid_visit_puts_kx_on_the_same_line_in_preview_and_charges() -> None:
    b = billing_practice()
    opening_balance(b, "2440.00")
    # 97110 first: 2440.00 + 30.00 = 2470.00 (under 2480.00); 97530 then: + 35.10 = 2505.10.
    content = typed(("97110", "therapist", 15), ("97530", "therapist", 15))
    preview, charges, _ = preview_then_charges(b, b.ot, content)
    expected = [("97110", 1, ("GO",)), ("97530", 1, ("GO", "KX"))]
    assert preview_lines(preview) == expected
    assert charge_lines(charges) == expected
    assert "$2,440.00 so far + this visit $65.10" in kx_message(preview)


def test_earlier_charges_count_toward_the_preview_as_they_do_toward_the_charges() -> None:
    b = billing_practice()
    opening_balance(b, "2400.00")
    # An earlier visit's charge: 3 x 35.10 = 105.30 expected allowed, so 2505.30 so far.
    charges_create_for_note(
        note=note(b, ("97530", {"therapist_minutes": 38}), day=DAY.replace(day=2))
    )
    preview, charges, _ = preview_then_charges(b, b.ot, typed(("97110", "therapist", 15)))
    assert preview_lines(preview) == charge_lines(charges) == [("97110", 1, ("GO", "KX"))]


def test_a_commercial_patient_over_any_amount_gets_no_kx_in_either() -> None:
    b = billing_practice(plan_kind="commercial", filing="CI")
    opening_balance(b, "9000.00")
    preview, charges, _ = preview_then_charges(b, b.ot, typed(("97530", "therapist", 38)))
    assert preview_lines(preview) == charge_lines(charges) == [("97530", 3, ("GO",))]


def test_the_note_page_preview_shows_kx_for_a_patient_over_the_threshold() -> None:
    b = billing_practice()
    opening_balance(b, "3000.00")
    draft = svc.note_start(user=b.ota.user, episode=b.episode, date_of_service=DAY)
    svc.note_save(
        user=b.ota.user,
        note=draft,
        revision=draft.revision,
        content=typed(("97530", "assistant", 23)),
    )
    client = Client()
    client.force_login(b.ota.user)
    page = client.get(reverse("note-detail", args=[draft.pk])).content.decode()
    preview = page[page.index('id="billing-preview"') :]
    assert "<td>97530</td><td>2</td><td>GO CO KX</td>" in preview
    assert "$3,000.00 so far" in preview
    assert "does not yet record allowed amounts" not in page


def test_without_a_balance_the_same_page_shows_no_kx() -> None:
    b = billing_practice()
    draft = svc.note_start(user=b.ota.user, episode=b.episode, date_of_service=DAY)
    svc.note_save(
        user=b.ota.user,
        note=draft,
        revision=draft.revision,
        content=typed(("97530", "assistant", 23)),
    )
    client = Client()
    client.force_login(b.ota.user)
    page = client.get(reverse("note-detail", args=[draft.pk])).content.decode()
    assert "<td>97530</td><td>2</td><td>GO CO</td>" in page
    assert "KX</td>" not in page


def test_a_code_without_a_fee_is_named_in_the_preview_before_the_charge_run_refuses_it() -> None:
    b = billing_practice()
    draft = svc.note_start(user=b.ot.user, episode=b.episode, date_of_service=dt.date(2027, 1, 5))
    decision = svc.preview_decision(note=draft, content=typed(("97530", "therapist", 38)))
    [missing] = [f for f in decision.findings if f.rule_id == "fees.missing"]
    assert "no 2027 fee for 97530" in missing.message


def test_an_add_on_billed_from_its_base_codes_minutes_counts_toward_the_threshold() -> None:
    # 97129 for 40 minutes bills 97129 x1 and 97130 x2; 97130's fee must be in the KX total,
    # and no warning says an allowed amount is missing.
    b = billing_practice()
    cognitive = {"97129": ("110.00", "30.00", "12.00"), "97130": ("100.00", "30.00", "12.00")}
    fee_schedule(b.org, year=2026, payer=b.payer, fees=cognitive)
    draft = svc.note_start(user=b.ot.user, episode=b.episode, date_of_service=dt.date(2026, 3, 12))
    decision = svc.preview_decision(note=draft, content=typed(("97129", "therapist", 40)))
    assert [(c.code, c.units) for c in decision.lines] == [("97129", 1), ("97130", 2)]
    kx = next(x for x in decision.findings if x.rule_id == "threshold.kx")
    assert "97130 2 x $30.00 = $60.00" in kx.message
    assert "threshold.allowed_amount_missing" not in {x.rule_id for x in decision.findings}
