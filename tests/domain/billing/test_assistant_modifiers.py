"""Discipline and assistant modifiers: the reference's examples and the final-unit rules."""

from datetime import date

import pytest

from otclinic.domain.billing import ServiceLine, check_visit
from otclinic.domain.billing.modifiers import split_per_unit, split_whole_service
from otclinic.domain.codes import Discipline, PayerPlan, Setting
from tests.domain.billing.builders import claim, finding, line, rule_ids, visit

GO, CO = "GO", "CO"


# Worked examples of the CO rules (SSA 1834(v); CY2020-CY2022 PFS final rules) first, then the
# final-unit rules one by one.
@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (line("97530", ota=38), [("97530", 3, (GO, CO))]),
        (line("97530", together=30), [("97530", 2, (GO,))]),
        (line("97530", 12, 12), [("97530", 1, (GO,)), ("97530", 1, (GO, CO))]),
        (line("97530", 8, 15), [("97530", 1, (GO,)), ("97530", 1, (GO, CO))]),
        (line("97530", 30, 1), [("97530", 2, (GO,))]),
        (line("97530", 20, 5), [("97530", 1, (GO,)), ("97530", 1, (GO, CO))]),
        (line("97530", 10, 1), [("97530", 1, (GO,))]),
        (line("97530", 7, 1), [("97530", 1, (GO, CO))]),
        (line("97530", 14, 14), [("97530", 1, (GO,)), ("97530", 1, (GO, CO))]),
        (line("97530", 9, 14), [("97530", 1, (GO,)), ("97530", 1, (GO, CO))]),
        (line("97530", 45, 0, together=8), [("97530", 4, (GO,))]),
        (line("97150", 40, 5), [("97150", 1, (GO, CO))]),
        (line("97150", 45, 5), [("97150", 1, (GO,))]),
    ],
)
def test_assistant_modifier_per_unit_and_de_minimis(
    service: ServiceLine, expected: list[tuple[str, int, tuple[str, ...]]]
) -> None:
    assert claim(check_visit(visit(service))) == expected


def test_the_assistant_finding_shows_the_arithmetic() -> None:
    decision = check_visit(visit(line("97530", 12, 12)))
    message = finding(decision, "modifier.assistant.per_unit")
    assert "12 min by the OT" in message
    assert "12 by the OTA alone" in message
    assert "1 without CO and 1 with CO" in message


@pytest.mark.parametrize(
    ("units", "ot", "ota", "plain", "assisted"),
    [
        (3, 0, 38, 0, 3),
        (2, 30, 0, 2, 0),
        (2, 12, 12, 1, 1),
        (1, 8, 9, 1, 0),  # the OT furnished 8 or more of the final unit
        (1, 5, 3, 0, 1),  # 3 of 8 > 10%
        (2, 14, 2, 1, 1),  # total-time extra unit: OT owns one, 2 of 16 > 10% takes the other
        (0, 3, 3, 0, 0),
    ],
)
def test_split_per_unit_table(units: int, ot: int, ota: int, plain: int, assisted: int) -> None:
    split = split_per_unit(units=units, therapist=ot, assistant=ota)
    assert (split.plain, split.assisted) == (plain, assisted)


@pytest.mark.parametrize(
    ("ot", "ota", "assisted"), [(45, 5, 0), (40, 5, 1), (0, 1, 1), (9, 1, 0), (8, 1, 1)]
)
def test_whole_service_takes_the_ten_percent_test(ot: int, ota: int, assisted: int) -> None:
    assert split_whole_service(units=1, therapist=ot, assistant=ota).assisted == assisted


def test_critical_access_hospitals_are_exempt_from_co() -> None:
    decision = check_visit(visit(line("97530", ota=38), setting=Setting.CRITICAL_ACCESS_HOSPITAL))
    assert claim(decision) == [("97530", 3, (GO,))]
    assert "critical access" in finding(decision, "modifier.assistant.not_used")


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        (PayerPlan.MEDICARE_ADVANTAGE, [("97530", 3, (GO, CO))]),
        (PayerPlan.TRICARE, [("97530", 3, (GO, CO))]),
        (PayerPlan.COMMERCIAL, [("97530", 3, (GO,))]),
        (PayerPlan.MEDICAID, [("97530", 3, (GO,))]),
    ],
)
def test_whether_co_is_used_follows_the_payer_policy(
    plan: PayerPlan, expected: list[tuple[str, int, tuple[str, ...]]]
) -> None:
    assert claim(check_visit(visit(line("97530", ota=38), plan=plan))) == expected


def test_pt_lines_take_gp_and_cq() -> None:
    decision = check_visit(visit(line("97110", 12, 12), discipline=Discipline.PT))
    assert claim(decision) == [("97110", 1, ("GP",)), ("97110", 1, ("GP", "CQ"))]


def test_slp_lines_take_gn_and_no_assistant_modifier() -> None:
    decision = check_visit(visit(line("97530", ota=30), discipline=Discipline.SLP))
    assert claim(decision) == [("97530", 2, ("GN",))]
    assert "modifier.assistant.not_used" in rule_ids(decision)


@pytest.mark.parametrize(
    ("day", "ot", "ota", "expected", "rule_id"),
    [
        # 2020: the 10% test on the whole service; 4 of 34 min is more than 10%.
        (date(2020, 6, 1), 30, 4, [("97530", 2, (GO, CO))], "modifier.assistant.de_minimis"),
        # 2021: per unit; both units are the OT's whole blocks.
        (date(2021, 6, 1), 30, 4, [("97530", 2, (GO,))], "modifier.assistant.per_unit"),
        # 2021: no final-unit rule, so 9 of 18 min fails the 10% test.
        (date(2021, 6, 1), 9, 9, [("97530", 1, (GO, CO))], "modifier.assistant.per_unit"),
        # 2022: the OT furnished 8 or more of the final unit.
        (date(2022, 6, 1), 9, 9, [("97530", 1, (GO,))], "modifier.assistant.per_unit"),
    ],
)
def test_the_assistant_rules_follow_their_dated_parameters(
    day: date, ot: int, ota: int, expected: list, rule_id: str
) -> None:
    decision = check_visit(visit(line("97530", ot, ota), date_of_service=day))
    assert claim(decision) == expected
    assert rule_id in rule_ids(decision)


def test_the_final_unit_reading_is_flagged_as_a_check_item() -> None:
    decision = check_visit(visit(line("97530", 12, 12)))
    assert "the 2022 reading of these rules is a check item" in finding(
        decision, "modifier.assistant.per_unit"
    )
    assert "(paid at 85%)" in finding(decision, "modifier.assistant.per_unit")


def test_before_2020_there_is_no_assistant_modifier() -> None:
    decision = check_visit(visit(line("97530", ota=38), date_of_service=date(2019, 6, 1)))
    assert claim(decision) == [("97530", 3, (GO,))]
    assert "2020-01-01" in finding(decision, "modifier.assistant.not_used")


def test_together_minutes_count_as_the_therapists() -> None:
    decision = check_visit(visit(line("97530", 0, 2, together=21)))
    assert claim(decision) == [("97530", 1, (GO,)), ("97530", 1, (GO, CO))]
    alone = check_visit(visit(line("97530", 21, 2)))
    assert claim(alone) == claim(decision)
