"""A clinic's own code where the clinic bills: the note's code list and totals, its billing
preview and decision, the plan's interventions and the charges, each with the organization's
book; and a code only another organization added stays `codes.unknown` here."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otclinic.clinic.care.forms_notes import NoteForms
from otclinic.clinic.care.services import notes as notes_svc
from otclinic.clinic.care.services.clinical import plan as plan_svc
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.payers.services_codes import clinic_code_save
from otclinic.clinic.revenue.charges import charges_create_for_note
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import content, drafted, practice
from tests.clinic.revenue.claims.builders import billing_practice, fee_schedule, note

pytestmark = pytest.mark.django_db

ENCOUNTER = {
    "code": "T1015",
    "summary": "clinic encounter (state Medicaid)",
    "source": "State Medicaid fee schedule, 2026 (encounter codes)",
    "kind": "untimed",
}
ENCOUNTER_LINES = (
    notes_svc.LineInput("T1015", "therapeutic_activity", therapist_minutes=20),
    notes_svc.LineInput("97530", "therapeutic_activity", therapist_minutes=30),
)


def add_encounter_code(org: Any, **changes: Any) -> None:
    biller = f.staff_user(organization=org, role="biller")
    clinic_code_save(user=biller, **{**ENCOUNTER, **changes})


def rule_ids(decision: Any) -> set[str]:
    return {finding.rule_id for finding in decision.findings}


def decision_for(p: Any) -> Any:
    """The billing decision of a note whose lines are the encounter code and 97530."""
    made = drafted(p, user=p.ot, lines=ENCOUNTER_LINES)
    return notes_svc.preview_decision(note=made, content=content(p, lines=ENCOUNTER_LINES))


def form_data(note: Any, **changes: Any) -> dict[str, Any]:
    """What the note page posts for a note: its saved lines, with `changes` applied."""
    data: dict[str, Any] = {"revision": note.revision, "narrative": ""}
    lines = notes_svc.content_of(note).lines
    for prefix, rows in {"lines": lines, "goals": (), "equipment": (), "environment": ()}.items():
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(rows)
    data["caregiver-TOTAL_FORMS"] = data["caregiver-INITIAL_FORMS"] = 0
    for i, line in enumerate(lines):
        for key, value in line.__dict__.items():
            if value is not False:
                data[f"lines-{i}-{key}"] = "on" if value is True else value
    return {**data, **changes}


def test_a_note_billing_a_clinic_code_is_billable_with_that_code() -> None:
    p = practice(payer_plan="medicaid")
    add_encounter_code(p.org)
    decision = decision_for(p)
    assert [(line.code, line.units) for line in decision.lines] == [("T1015", 1), ("97530", 2)]
    assert "codes.unknown" not in rule_ids(decision)
    assert decision.billable


def test_without_the_clinic_code_the_same_note_is_not_billable() -> None:
    p = practice(payer_plan="medicaid")
    decision = decision_for(p)
    assert "codes.unknown" in rule_ids(decision)
    assert not decision.billable


def test_a_code_only_another_organization_added_is_still_unknown_here() -> None:
    p = practice(payer_plan="medicaid")
    add_encounter_code(f.OrganizationFactory())
    assert "codes.unknown" in rule_ids(decision_for(p))


def test_a_timed_clinic_code_counts_in_the_notes_timed_minutes() -> None:
    p = practice(payer_plan="medicaid")
    add_encounter_code(p.org, kind="timed")
    saved = drafted(p, user=p.ot, lines=ENCOUNTER_LINES)
    assert (saved.total_timed_minutes, saved.total_treatment_minutes) == (50, 50)
    add_encounter_code(p.org, kind="untimed")
    saved = drafted(p, user=p.ot, lines=ENCOUNTER_LINES, day=saved.date_of_service.replace(day=13))
    assert (saved.total_timed_minutes, saved.total_treatment_minutes) == (30, 50)


def test_the_live_preview_offers_and_bills_the_clinic_code() -> None:
    p = practice(payer_plan="medicaid")
    add_encounter_code(p.org)
    note_ = drafted(p)
    client = Client()
    client.force_login(p.ota)
    page = client.get(reverse("note-detail", args=[note_.pk])).content.decode()
    assert '<option value="T1015">T1015 clinic encounter (state Medicaid)</option>' in page
    data = form_data(note_, **{"lines-0-code": "T1015"})
    response = client.post(reverse("note-preview", args=[note_.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<td>T1015</td><td>1</td>" in html
    assert "not in otclinic&#x27;s code table" not in html


def test_the_note_offers_the_plans_codes_then_the_disciplines_then_the_rest() -> None:
    p = practice()
    field = NoteForms(drafted(p)).sets["lines"].forms[0].fields["code"]
    headings = [heading for heading, _ in field.choices[1:]]
    assert headings == ["In the plan of care", "OT codes", "Other codes"]
    planned = {code for code, _ in field.choices[1][1]}
    assert planned == {"97530", "97535", "97110"}
    other = {code for code, _ in field.choices[3][1]}
    assert "92507" in other  # speech treatment: SLP only
    assert "97530" not in other


def test_a_plan_may_call_for_a_clinic_code_but_not_another_organizations() -> None:
    p = practice(payer_plan="medicaid")
    plan = f.PlanOfCareFactory(episode=p.episode, version=2)  # a draft: the next version
    with pytest.raises(ValidationFailed) as refused:
        plan_svc.intervention_add(user=p.ot, plan=plan, category="other", code="T1015")
    assert refused.value.errors == {"code": ["T1015 is not a code the clinic bills."]}
    add_encounter_code(f.OrganizationFactory())
    with pytest.raises(ValidationFailed):
        plan_svc.intervention_add(user=p.ot, plan=plan, category="other", code="T1015")
    add_encounter_code(p.org)
    made = plan_svc.intervention_add(user=p.ot, plan=plan, category="other", code="t1015")
    assert made.code == "T1015"


def test_the_charges_bill_the_clinic_code_at_its_fee() -> None:
    b = billing_practice(plan_kind="medicaid", filing="MC")
    fee_schedule(b.org, year=2026, payer=b.payer, fees={"T1015": ("95.00", "80.00", "0.00")})
    add_encounter_code(b.org)
    signed = note(b, ("T1015", {"therapist_minutes": 45}))
    [charge] = charges_create_for_note(note=signed)
    assert (charge.code, charge.units, charge.amount) == ("T1015", 1, Decimal("95.00"))
