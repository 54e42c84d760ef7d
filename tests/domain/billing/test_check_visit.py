"""The billing check end to end on Visit objects: units, code rules, scope and the note."""

from datetime import date

import pytest

from otclinic.domain.billing import check_visit
from otclinic.domain.codes import PayerPlan, UnitMethod
from tests.domain.billing.builders import (
    claim,
    finding,
    line,
    rule_ids,
    severity,
    units_by_code,
    visit,
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((line("97112", 24), line("97110", 23)), {"97112": 2, "97110": 1}),
        ((line("97110", 33), line("97140", 7)), {"97110": 2, "97140": 1}),
        ((line("97530", 23), line("97535", 15)), {"97530": 2, "97535": 1}),
        ((line("97112", 20), line("97110", 20)), {"97110": 2, "97112": 1}),
    ],
)
def test_the_manuals_examples_through_the_whole_check(
    lines: tuple, expected: dict[str, int]
) -> None:
    assert units_by_code(check_visit(visit(*lines))) == expected


def test_the_total_time_finding_shows_the_arithmetic() -> None:
    decision = check_visit(visit(line("97530", 23), line("97535", 15)))
    message = finding(decision, "units.total_time")
    assert message.startswith("38 timed minutes = 2 full units + 8 minutes, so 3 units")
    assert message.endswith(
        "97530 23 min gets 2, 97535 15 min gets 1 (total_time, payer policy 'medicare_part_b')"
    )


def test_a_tie_is_explained_in_an_info_finding() -> None:
    decision = check_visit(visit(line("97112", 20), line("97110", 20)))
    assert severity(decision, "units.tie_break") == "info"
    assert "97110, 97112 tie with 5 leftover minutes" in finding(decision, "units.tie_break")
    assert "lower code number: 97110" in finding(decision, "units.tie_break")


def test_commercial_payers_count_per_code_by_default() -> None:
    decision = check_visit(visit(line("97112", 24), line("97110", 23), plan=PayerPlan.COMMERCIAL))
    assert units_by_code(decision) == {"97112": 2, "97110": 2}
    assert finding(decision, "units.per_code").endswith("(per_code, payer policy 'default')")
    assert "units.method" not in rule_ids(decision)
    assert decision.total_timed_units == 4
    assert "per code" in finding(decision, "note.timed_units")
    assert decision.billable


def test_per_code_chosen_for_medicare_is_flagged_and_four_units_for_47_minutes_block_billing() -> (
    None
):
    decision = check_visit(
        visit(line("97112", 24), line("97110", 23), unit_method=UnitMethod.PER_CODE)
    )
    assert severity(decision, "units.method") == "warning"
    assert "chosen in the input, while payer policy 'medicare_part_b' uses total_time" in finding(
        decision, "units.method"
    )
    assert severity(decision, "note.timed_units") == "error"
    assert "47 timed minutes support 3 units and 4 are billed" in finding(
        decision, "note.timed_units"
    )
    assert not decision.billable


def test_a_code_under_eight_minutes_earns_nothing_per_code() -> None:
    decision = check_visit(visit(line("97110", 33), line("97140", 7), plan=PayerPlan.MEDICAID))
    assert units_by_code(decision) == {"97110": 2}


def test_totals_count_timed_minutes_and_all_treatment_minutes() -> None:
    decision = check_visit(visit(line("97165", 45), line("97530", 20, 5)))
    assert (decision.total_timed_minutes, decision.total_timed_units) == (25, 2)
    assert decision.total_treatment_minutes == 70
    assert units_by_code(decision) == {"97165": 1, "97530": 2}


def test_lines_of_one_code_are_merged_into_one_claim_line() -> None:
    decision = check_visit(visit(line("97530", 10), line("97530", 13)))
    assert claim(decision) == [("97530", 2, ("GO",))]


def test_different_allowed_amounts_for_one_code_are_flagged() -> None:
    decision = check_visit(
        visit(line("97530", 10, amount="35.10"), line("97530", 13, amount="36.00"))
    )
    assert "35.10 (the first) is used" in finding(decision, "input.allowed_amount_conflict")


def test_an_untimed_code_without_minutes_is_not_billed() -> None:
    decision = check_visit(visit(line("97165", 0), line("97530", 30)))
    assert units_by_code(decision) == {"97530": 2}
    assert "97165 0 min = nothing" in finding(decision, "units.untimed")


def test_an_unknown_code_is_an_error_that_names_it_and_how_to_add_it() -> None:
    decision = check_visit(visit(line("97999", 30), line("97530", 30)))
    assert claim(decision) == [("97530", 2, ("GO",))]
    assert severity(decision, "codes.unknown") == "error"
    message = finding(decision, "codes.unknown")
    assert message.startswith("97999 is not in otclinic's code table")
    assert "add it to the clinic's code table" in message
    assert decision.total_treatment_minutes == 60
    assert not decision.billable


def test_97014_is_not_valid_for_medicare() -> None:
    decision = check_visit(visit(line("97014", 15), line("97530", 30)))
    assert units_by_code(decision) == {"97530": 2}
    assert "bill G0283 instead" in finding(decision, "medicare.code_invalid")
    assert not decision.billable


def test_97014_is_billed_for_a_commercial_payer() -> None:
    decision = check_visit(visit(line("97014", 15), plan=PayerPlan.COMMERCIAL))
    assert units_by_code(decision) == {"97014": 1}


def test_97010_is_bundled_and_left_off_a_medicare_claim() -> None:
    decision = check_visit(visit(line("97010", 10), line("97530", 30)))
    assert units_by_code(decision) == {"97530": 2}
    assert severity(decision, "medicare.code_bundled") == "info"
    assert decision.total_treatment_minutes == 40
    assert decision.billable


def test_a_visit_with_nothing_billable_is_not_billable() -> None:
    decision = check_visit(visit(line("97010", 10)))
    assert decision.lines == ()
    assert "claim.empty" in rule_ids(decision)
    assert not decision.billable


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (40, [("97129", 1, ("GO",)), ("97130", 2, ("GO",))]),
        (15, [("97129", 1, ("GO",))]),
        (7, []),
    ],
)
def test_cognitive_intervention_is_97129_then_97130(minutes: int, expected: list) -> None:
    assert claim(check_visit(visit(line("97129", minutes)))) == expected


def test_97130_alone_is_an_add_on_without_its_primary() -> None:
    decision = check_visit(visit(line("97130", 20), line("97530", 30)))
    assert claim(decision) == [("97530", 2, ("GO",))]
    message = finding(decision, "codes.addon_without_primary")
    assert "97130 is an add-on code: it is billed only with 97129" in message
    assert "enter all the minutes under 97129" in message
    assert not decision.billable


def test_cognitive_minutes_share_the_timed_pool() -> None:
    decision = check_visit(visit(line("97530", 30), line("97129", 10), line("97130", 2)))
    assert units_by_code(decision) == {"97530": 2, "97129": 1}
    assert decision.total_timed_minutes == 42


def test_the_base_code_takes_the_therapists_unit() -> None:
    decision = check_visit(visit(line("97129", 12, 12)))
    assert claim(decision) == [("97129", 1, ("GO",)), ("97130", 1, ("GO", "CO"))]


def caregiver_visit(minutes: int, **fields: object):
    defaults = {"patient_present": False, "caregiver_consent": True}
    return visit(line("97550", minutes), **{**defaults, **fields})


def test_caregiver_training_units_come_from_the_parameters() -> None:
    decision = check_visit(caregiver_visit(40))
    assert claim(decision) == [("97550", 1, ("GO",)), ("97551", 1, ("GO",))]
    assert "check" in finding(decision, "units.caregiver_training")
    assert decision.total_timed_minutes == 0
    assert decision.billable


def test_caregiver_training_with_the_patient_present_is_an_error() -> None:
    decision = check_visit(caregiver_visit(40, patient_present=True))
    assert severity(decision, "caregiver.patient_present") == "error"


def test_caregiver_training_needs_consent_for_medicare_only() -> None:
    medicare = check_visit(caregiver_visit(40, caregiver_consent=False))
    assert severity(medicare, "caregiver.consent") == "error"
    commercial = check_visit(
        caregiver_visit(40, caregiver_consent=False, payer_plan=PayerPlan.COMMERCIAL)
    )
    assert "caregiver.consent" not in rule_ids(commercial)


def test_caregiver_codes_do_not_exist_before_2024() -> None:
    decision = check_visit(caregiver_visit(40, date_of_service=date(2023, 6, 1)))
    assert "exists from 2024-01-01" in finding(decision, "codes.not_in_force")
    assert decision.lines == ()


def test_an_assistant_may_not_furnish_an_evaluation() -> None:
    decision = check_visit(visit(line("97165", 30, 15)))
    assert "15 min by the OTA alone" in finding(decision, "scope.assistant_evaluation")
    assert not decision.billable


def test_an_assistant_may_help_with_an_evaluation_alongside_the_ot() -> None:
    decision = check_visit(visit(line("97165", 30, together=15)))
    assert "scope.assistant_evaluation" not in rule_ids(decision)


def test_only_one_evaluation_or_reevaluation_per_discipline_per_day() -> None:
    decision = check_visit(visit(line("97165", 45), line("97168", 30)))
    assert "(97165, 97168)" in finding(decision, "scope.one_evaluation_per_day")
    assert not decision.billable


def test_a_pt_evaluation_cannot_be_billed_under_ot() -> None:
    decision = check_visit(visit(line("97161", 45)))
    assert severity(decision, "scope.evaluation_discipline") == "error"


def test_the_note_finding_names_both_totals() -> None:
    decision = check_visit(visit(line("97165", 45), line("97530", 38)))
    assert finding(decision, "note.timed_units").startswith(
        "the note must show 38 total timed minutes and 83 total treatment minutes"
    )
