"""ACOTE's Level II minimum, educator eligibility and Medicare's student rule, as tables."""

from datetime import date
from decimal import Decimal

import pytest

from otclinic.domain.codes import PayerPlan, Role
from otclinic.domain.compliance.fieldwork import (
    EducatorFacts,
    Level,
    Program,
    Renders,
    educator_findings,
    fieldwork_progress,
    fte_weeks,
    student_note_billing,
    student_note_findings,
    years_before,
)
from otclinic.domain.compliance.findings import Severity

START = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("hours", "per_week", "weeks"),
    [
        ("640", "40", "16.00"),
        ("960", "40", "24.00"),
        ("640", "32", "20.00"),  # part time: the same hours are more full-time weeks at 32 h
        ("100", "40", "2.50"),
        ("0", "40", "0.00"),
        ("10", "30", "0.33"),
    ],
)
def test_fte_weeks_are_logged_hours_over_full_time_hours(
    hours: str, per_week: str, weeks: str
) -> None:
    logged = Decimal(hours)
    assert fte_weeks(logged_hours=logged, full_time_hours_per_week=Decimal(per_week)) == Decimal(
        weeks
    )


@pytest.mark.parametrize(
    ("program", "hours", "per_week", "minimum", "percent", "met"),
    [
        (Program.OTA, "640", "40", 16, "100", True),  # 16 weeks full time: OTA minimum met
        (Program.OTA, "639", "40", 16, "99", False),  # one hour short is not yet 100 %
        (Program.OT, "640", "40", 24, "66", False),  # the same hours are short for an OT student
        (Program.OT, "960", "40", 24, "100", True),
        (Program.OT, "768", "32", 24, "100", True),  # part time at 32 h/week: 24 FTE weeks
        (Program.OT, "768", "40", 24, "80", False),  # ... but 19.2 weeks against 40 h/week
        (Program.OTA, "320", "40", 16, "50", False),
    ],
)
def test_level_ii_progress_against_the_acote_minimum(
    program: Program, hours: str, per_week: str, minimum: int, percent: str, met: bool
) -> None:
    progress = fieldwork_progress(
        program=program,
        level=Level.II,
        starts_on=START,
        logged_hours=Decimal(hours),
        full_time_hours_per_week=Decimal(per_week),
    )
    assert progress.minimum_weeks == minimum
    assert progress.percent == Decimal(percent)
    assert progress.minimum_met is met
    (finding,) = progress.findings
    assert finding.severity is (Severity.INFO if met else Severity.WARNING)
    assert "ACOTE" in finding.citation
    assert f"{minimum}-week minimum" in finding.message
    assert "check:" in finding.message


def test_a_short_placement_says_how_many_hours_are_missing() -> None:
    progress = fieldwork_progress(
        program=Program.OT,
        level=Level.II,
        starts_on=START,
        logged_hours=Decimal("900"),
        full_time_hours_per_week=Decimal("40"),
    )
    assert progress.required_hours == Decimal("960")
    assert "60 more hours needed" in progress.findings[0].message


def test_level_i_has_no_minimum_length() -> None:
    progress = fieldwork_progress(
        program=Program.OT,
        level=Level.I,
        starts_on=START,
        logged_hours=Decimal("40"),
        full_time_hours_per_week=Decimal("40"),
    )
    assert progress.minimum_weeks is None
    assert progress.minimum_met is None
    assert progress.findings == ()


def test_the_minimum_does_not_apply_before_its_first_date() -> None:
    progress = fieldwork_progress(
        program=Program.OT,
        level=Level.II,
        starts_on=date(2010, 1, 4),
        logged_hours=Decimal("40"),
        full_time_hours_per_week=Decimal("40"),
    )
    assert progress.minimum_weeks is None


@pytest.mark.parametrize(("hours", "per_week"), [("-1", "40"), ("10", "0")])
def test_impossible_hours_are_refused(hours: str, per_week: str) -> None:
    with pytest.raises(ValueError, match=r"negative|positive"):
        fte_weeks(logged_hours=Decimal(hours), full_time_hours_per_week=Decimal(per_week))


@pytest.mark.parametrize(
    ("program", "role", "started", "rules"),
    [
        (Program.OT, Role.OT, date(2025, 1, 5), []),  # exactly one year: eligible
        (Program.OT, Role.OT, date(2025, 1, 6), ["fieldwork.educator.practice"]),  # a day short
        (Program.OT, Role.OTA, date(2015, 1, 1), ["fieldwork.educator.role"]),
        (Program.OTA, Role.OTA, date(2015, 1, 1), []),
        (Program.OTA, Role.OT, date(2015, 1, 1), []),
        (Program.OTA, Role.PT, date(2015, 1, 1), ["fieldwork.educator.role"]),
        (Program.OT, Role.OT, None, ["fieldwork.educator.practice"]),
        (
            Program.OT,
            Role.OTA,
            date(2025, 6, 1),
            ["fieldwork.educator.role", "fieldwork.educator.practice"],
        ),
    ],
)
def test_educator_eligibility(
    program: Program, role: Role, started: date | None, rules: list[str]
) -> None:
    found = educator_findings(
        program=program,
        educator=EducatorFacts(role=role, practice_started_on=started),
        starts_on=START,
    )
    assert [f.rule_id for f in found] == rules
    assert all(f.severity is Severity.ERROR for f in found)


def test_an_ota_educator_for_an_ot_student_is_refused_with_a_clear_message() -> None:
    (finding,) = educator_findings(
        program=Program.OT,
        educator=EducatorFacts(role=Role.OTA, practice_started_on=date(2010, 1, 1)),
        starts_on=START,
    )
    assert "must be an OT; this one is OTA" in finding.message


def test_one_year_before_a_leap_day_is_the_28th_of_february() -> None:
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_a_students_medicare_part_b_note_carries_the_participation_check_item() -> None:
    (finding,) = student_note_findings(
        author_role=Role.STUDENT, payer_plan=PayerPlan.MEDICARE_PART_B
    )
    assert finding.severity is Severity.WARNING
    assert "line-of-sight" in finding.message
    assert "Check item" in finding.message
    assert "230.B" in finding.citation


@pytest.mark.parametrize(
    ("role", "plan"),
    [
        (Role.STUDENT, PayerPlan.COMMERCIAL),
        (Role.STUDENT, PayerPlan.MEDICARE_ADVANTAGE),
        (Role.OTA, PayerPlan.MEDICARE_PART_B),
        (Role.OT, PayerPlan.MEDICARE_PART_B),
    ],
)
def test_the_student_rule_is_silent_for_other_authors_and_payers(
    role: Role, plan: PayerPlan
) -> None:
    assert student_note_findings(author_role=role, payer_plan=plan) == ()


def test_an_ot_educator_renders_their_students_note_without_the_assistant_modifier() -> None:
    answer = student_note_billing(educator_role=Role.OT, supervising_ot_role=None)
    assert (answer.renders, answer.assistant_modifier, answer.findings) == (
        Renders.EDUCATOR,
        False,
        (),
    )


def test_an_ota_educators_supervising_ot_renders_the_students_note_with_co() -> None:
    answer = student_note_billing(educator_role=Role.OTA, supervising_ot_role=Role.OT)
    assert answer.renders is Renders.EDUCATOR_SUPERVISING_OT
    assert answer.assistant_modifier
    (finding,) = answer.findings
    assert finding.severity is Severity.INFO
    assert "(CO)" in finding.message and "check:" in finding.message
    assert "an OTA does not enroll" in finding.citation


@pytest.mark.parametrize("supervisor", [None, Role.OTA])
def test_an_ota_educator_without_a_supervising_ot_is_an_error(supervisor: Role | None) -> None:
    (finding,) = student_note_billing(
        educator_role=Role.OTA, supervising_ot_role=supervisor
    ).findings
    assert finding.severity is Severity.ERROR
    assert "no supervising OT" in finding.message
