"""Claims for fieldwork students' notes: who renders them, the assistant modifier, the scrubber."""

import datetime as dt
from typing import Any

import pytest

from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.models import Claim
from otclinic.clinic.revenue.scrubber import blocking, scrub_claim
from otclinic.domain.compliance.findings import Severity
from tests.clinic import factories as f
from tests.clinic.fieldwork.helpers import EXPERIENCED, placement_row
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 1)
STUDENT_RULE = "fieldwork.medicare_part_b.student_participation"


def _student_under(b: Billing, educator: Any) -> Any:
    student = f.StaffProfileFactory(
        user__organization=b.org, user__role="student", npi="", supervising_ot=educator
    )
    program = "OTA" if educator.user.role == "OTA" else "OT"
    placement_row(student=student, educator=educator, program=program)
    return student


def _ota_educator(b: Billing, *, supervised: bool = True) -> Any:
    return f.StaffProfileFactory(
        user__organization=b.org,
        user__role="OTA",
        practice_started_on=EXPERIENCED,
        supervising_ot=b.ot if supervised else None,
    )


def _claim_for_student_note(b: Billing, student: Any) -> Claim:
    # The student typed the minutes as their own ("therapist") minutes.
    note(b, ("97530", {"therapist_minutes": 38}), author=student, status="cosigned")
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    return claim


def test_an_ota_students_note_under_an_ota_educator_renders_under_the_supervising_ot_with_co() -> (
    None
):
    b = billing_practice()
    claim = _claim_for_student_note(b, _student_under(b, _ota_educator(b)))
    assert claim.rendering_provider == b.ot
    [line] = claim.lines.all()
    assert "CO" in line.modifiers and "GO" in line.modifiers
    problems = scrub_claim(claim, today=TODAY)
    assert blocking(problems) == []
    [student_rule] = [p for p in problems if p.rule_id == STUDENT_RULE]
    assert student_rule.severity is Severity.WARNING
    assert "check per setting" in student_rule.message and "230.B" in student_rule.citation


def test_an_ot_educators_student_note_renders_under_the_ot_without_co() -> None:
    b = billing_practice()
    claim = _claim_for_student_note(b, _student_under(b, b.ot))
    assert claim.rendering_provider == b.ot
    [line] = claim.lines.all()
    assert "CO" not in line.modifiers
    assert blocking(scrub_claim(claim, today=TODAY)) == []


def test_an_ota_educator_without_a_supervising_ot_is_refused_by_the_scrubber_naming_it() -> None:
    b = billing_practice()
    educator = _ota_educator(b, supervised=False)
    claim = _claim_for_student_note(b, _student_under(b, educator))
    assert claim.rendering_provider == educator  # not silently the plan's OT
    [problem] = blocking(scrub_claim(claim, today=TODAY))
    assert problem.field == "rendering_provider.supervising_ot"
    assert "no supervising OT" in problem.message
    assert "supervising OT of the OTA fieldwork educator" in problem.fix
    assert str(educator) in problem.fix
