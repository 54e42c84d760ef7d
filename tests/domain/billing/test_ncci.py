"""NCCI edits: PTP pairs with modifier indicators 0/1/9, 59 on attested column-2 codes, MUEs."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from otclinic.domain.billing import check_visit
from otclinic.domain.billing.ncci_tables import load_mue, load_ptp
from otclinic.domain.billing.rulebook import RULES_DIR, RuleBook, default_rulebook
from otclinic.domain.codes import PayerPlan
from tests.domain.billing.builders import (
    claim,
    finding,
    line,
    rule_ids,
    severity,
    units_by_code,
    visit,
)

CMS_PTP_TAB = (
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\t"
    "Modifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale\n"
    "97530\t97535\t\t20200101\t*\t0\tMutually exclusive procedures\n"
    "97110\t97112\t\t20200101\t20231231\t1\tDeleted edit\n"
    "97110\t97140\t\t20200101\t*\t9\tNot applicable\n"
)
CMS_MUE = (
    "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n"
    '97530,2,"2 Date of Service Edit: Policy",Clinical: Data\n'
    '97535,2,"1 Line Edit",Clinical: Data\n'
    '97110,2,"3 Date of Service Edit: Clinical",Clinical: Data\n'
)


@pytest.fixture
def book(tmp_path: Path) -> RuleBook:
    (tmp_path / "ptp.txt").write_text(CMS_PTP_TAB)
    (tmp_path / "mue.csv").write_text(CMS_MUE)
    return replace(
        default_rulebook(), ptp=load_ptp(tmp_path / "ptp.txt"), mue=load_mue(tmp_path / "mue.csv")
    )


def test_the_shipped_ptp_file_holds_only_the_references_pairs() -> None:
    pairs = set(load_ptp(RULES_DIR / "ncci_ptp_practitioner.csv"))
    one_on_one = {"97110", "97112", "97140", "97530", "97535"}
    assert pairs == {("97140", "97530")} | {(code, "97150") for code in one_on_one}


def test_the_shipped_mue_file_holds_only_once_a_day_codes() -> None:
    limits = load_mue(RULES_DIR / "ncci_mue_practitioner.csv")
    assert {"97165", "97166", "97167", "97168", "97129", "97550", "98980"} <= set(limits)
    assert {limit.units for limit in limits.values()} == {1}
    assert {limit.adjudication_indicator for limit in limits.values()} == {2}


def test_two_lines_of_one_evaluation_code_bill_one_unit_within_its_mue() -> None:
    decision = check_visit(visit(line("97165", 30), line("97165", 20), line("97530", 15)))
    assert claim(decision)[0] == ("97165", 1, ("GO",))
    assert "ncci.mue" not in rule_ids(decision)


def test_a_column_two_code_without_a_separate_time_block_is_an_error() -> None:
    decision = check_visit(visit(line("97140", 15), line("97530", 15)))
    message = finding(decision, "ncci.ptp")
    assert "97530 is column 2 of 97140 (modifier indicator 1" in message
    assert "mark the 97530 line as a separate time block (that adds 59)" in message
    assert not decision.billable
    assert all("59" not in c.modifiers for c in decision.lines)


def test_an_attested_separate_time_block_puts_59_on_the_column_two_code() -> None:
    decision = check_visit(visit(line("97140", 15), line("97530", 15, separate=True)))
    assert claim(decision) == [("97140", 1, ("GO",)), ("97530", 1, ("GO", "59"))]
    assert severity(decision, "ncci.ptp") == "info"
    assert decision.billable


def test_an_attestation_on_the_column_one_code_does_not_pass_the_edit() -> None:
    decision = check_visit(visit(line("97140", 15, separate=True), line("97530", 15)))
    assert not decision.billable
    assert "no PTP edit pairs it" in finding(decision, "ncci.separate_time_block_unused")


def test_every_line_of_the_column_two_code_takes_59() -> None:
    decision = check_visit(visit(line("97140", 15), line("97530", 12, 12, separate=True)))
    assert claim(decision)[1:] == [("97530", 1, ("GO", "59")), ("97530", 1, ("GO", "CO", "59"))]


def test_edits_do_not_apply_to_self_pay() -> None:
    decision = check_visit(visit(line("97140", 15), line("97530", 15), plan=PayerPlan.SELF_PAY))
    assert "ncci.ptp" not in rule_ids(decision)


def test_indicator_zero_is_never_overridable(book: RuleBook) -> None:
    decision = check_visit(
        visit(line("97530", 15), line("97535", 15, separate=True)), rulebook=book
    )
    assert "no modifier overrides it" in finding(decision, "ncci.ptp")
    assert all("59" not in c.modifiers for c in decision.lines)
    assert not decision.billable


def test_a_deleted_edit_no_longer_applies(book: RuleBook) -> None:
    before = check_visit(
        visit(line("97110", 15), line("97112", 15), date_of_service=date(2023, 6, 1)), rulebook=book
    )
    after = check_visit(visit(line("97110", 15), line("97112", 15)), rulebook=book)
    assert "ncci.ptp" in rule_ids(before)
    assert "ncci.ptp" not in rule_ids(after)


def test_indicator_nine_means_the_edit_does_not_apply(book: RuleBook) -> None:
    decision = check_visit(visit(line("97110", 15), line("97140", 15)), rulebook=book)
    assert "ncci.ptp" not in rule_ids(decision)


def test_units_over_a_date_of_service_mue_are_an_error(book: RuleBook) -> None:
    decision = check_visit(visit(line("97530", 45)), rulebook=book)
    assert "97530: 3 units on one day, over its MUE of 2" in finding(decision, "ncci.mue")
    assert not decision.billable


def test_a_line_edit_counts_units_per_claim_line(book: RuleBook) -> None:
    split = check_visit(visit(line("97535", 30, 15)), rulebook=book)  # 2 + 1 on two lines
    assert "ncci.mue" not in rule_ids(split)
    one_line = check_visit(visit(line("97535", 45)), rulebook=book)
    assert "on one claim line" in finding(one_line, "ncci.mue")


def test_a_clinical_mue_is_a_warning_that_may_be_appealed(book: RuleBook) -> None:
    decision = check_visit(visit(line("97110", 45)), rulebook=book)
    assert severity(decision, "ncci.mue") == "warning"
    assert decision.billable


def test_units_within_the_mue_pass(book: RuleBook) -> None:
    assert "ncci.mue" not in rule_ids(check_visit(visit(line("97530", 30)), rulebook=book))


def test_a_tie_goes_where_it_raises_no_ncci_edit() -> None:
    # 45 minutes = 3 units; 97530 has one whole block and the 2 units left tie three ways at
    # 10 leftover minutes. The lower code numbers (97110, 97140) would bill 97140 with 97530.
    decision = check_visit(visit(line("97530", 25), line("97140", 10), line("97110", 10)))
    assert units_by_code(decision) == {"97530": 2, "97110": 1}
    message = finding(decision, "units.tie_break")
    assert "would raise an NCCI edit (97140 with 97530, a PTP pair)" in message
    assert "gives them to 97110, 97530, which raises none" in message
    assert "ncci.ptp" not in rule_ids(decision)


def test_a_tie_goes_to_the_lower_code_when_every_way_raises_an_edit() -> None:
    decision = check_visit(visit(line("97530", 20), line("97140", 20)))
    assert units_by_code(decision) == {"97140": 2, "97530": 1}
    assert "every way of giving them raises an NCCI edit" in finding(decision, "units.tie_break")
    assert "ncci.ptp" in rule_ids(decision)


def test_a_tie_between_codes_outside_any_edit_goes_to_the_lower_code() -> None:
    decision = check_visit(visit(line("97112", 20), line("97110", 20)))
    assert units_by_code(decision) == {"97110": 2, "97112": 1}
    assert finding(decision, "units.tie_break").endswith("lower code number: 97110")
