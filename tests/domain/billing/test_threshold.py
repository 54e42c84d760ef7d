"""The therapy threshold (KX) and the targeted medical review amount, Medicare Part B only."""

from datetime import date
from decimal import Decimal

import pytest

from otclinic.domain.billing import check_visit
from otclinic.domain.billing.rulebook import default_rulebook
from otclinic.domain.codes import Discipline, PayerPlan
from tests.domain.billing.builders import claim, finding, line, rule_ids, severity, visit


@pytest.mark.parametrize(
    ("day", "amount", "confidence"),
    [
        (date(2018, 1, 1), "2010.00", "likely"),
        (date(2019, 7, 4), "2040.00", "likely"),
        (date(2020, 12, 31), "2080.00", "likely"),
        (date(2021, 5, 5), "2110.00", "likely"),
        (date(2022, 6, 1), "2150.00", "firm"),
        (date(2023, 1, 1), "2230.00", "firm"),
        (date(2024, 12, 31), "2330.00", "firm"),
        (date(2025, 3, 1), "2410.00", "likely"),
        (date(2026, 3, 12), "2480.00", "likely"),
    ],
)
def test_the_yearly_threshold_figures(day: date, amount: str, confidence: str) -> None:
    entry = default_rulebook().kx_threshold.entry_on(day)
    assert entry is not None
    assert (entry.value, entry.confidence) == (Decimal(amount), confidence)


@pytest.mark.parametrize("day", [date(2017, 12, 31), date(2027, 1, 1)])
def test_a_year_without_a_figure_has_no_threshold(day: date) -> None:
    assert default_rulebook().kx_threshold.entry_on(day) is None


def kx_visit(ytd: str, **fields: object):
    return visit(line("97530", 12, 12, amount="35.10"), ytd_allowed=Decimal(ytd), **fields)


def test_kx_goes_on_the_line_that_passes_the_threshold_and_every_later_one() -> None:
    decision = check_visit(kx_visit("2420.00"))  # 2455.10 after the first line, 2490.20 after
    assert claim(decision) == [("97530", 1, ("GO",)), ("97530", 1, ("GO", "CO", "KX"))]
    message = finding(decision, "threshold.kx")
    assert "$2,420.00 so far + this visit $70.20" in message
    assert "= $2,490.20" in message
    assert "97530 GO CO takes the year over the threshold" in message
    assert severity(decision, "threshold.kx") == "warning"


def test_reaching_the_threshold_exactly_is_not_passing_it() -> None:
    decision = check_visit(kx_visit("2444.90"))  # 2480.00 after the first line
    assert [c.modifiers for c in decision.lines] == [("GO",), ("GO", "CO", "KX")]


def test_every_line_with_a_charge_takes_kx_when_the_year_is_exactly_at_the_threshold() -> None:
    decision = check_visit(kx_visit("2480.00"))
    assert [c.modifiers for c in decision.lines] == [("GO", "KX"), ("GO", "CO", "KX")]
    assert "at or over the threshold before this visit" in finding(decision, "threshold.kx")


def test_kx_goes_on_lines_without_an_allowed_amount_once_the_year_is_over() -> None:
    decision = check_visit(
        visit(line("97530", 30), line("97110", 15), ytd_allowed=Decimal("2600.00"))
    )
    assert [c.modifiers for c in decision.lines] == [("GO", "KX"), ("GO", "KX")]
    assert severity(decision, "threshold.allowed_amount_missing") == "warning"


def test_a_line_without_an_amount_after_the_threshold_is_reached_takes_kx() -> None:
    decision = check_visit(
        visit(
            line("97530", 15, amount="35.10"),
            line("97110", 15),
            ytd_allowed=Decimal("2444.90"),  # 2480.00 after 97530: at the threshold
        )
    )
    assert [c.modifiers for c in decision.lines] == [("GO",), ("GO", "KX")]


def test_every_line_takes_kx_when_the_year_was_already_over() -> None:
    decision = check_visit(kx_visit("2500.00"))
    assert [c.modifiers for c in decision.lines] == [("GO", "KX"), ("GO", "CO", "KX")]
    assert "before this visit" in finding(decision, "threshold.kx")


def test_no_kx_far_from_the_threshold() -> None:
    decision = check_visit(kx_visit("1200.00"))
    assert all("KX" not in c.modifiers for c in decision.lines)
    assert "not over the threshold, so no KX" in finding(decision, "threshold.kx")


@pytest.mark.parametrize("plan", [PayerPlan.MEDICARE_ADVANTAGE, PayerPlan.COMMERCIAL])
def test_kx_is_only_for_medicare_part_b(plan: PayerPlan) -> None:
    decision = check_visit(kx_visit("2500.00", payer_plan=plan))
    assert "threshold.kx" not in rule_ids(decision)
    assert all("KX" not in c.modifiers for c in decision.lines)


def test_a_year_without_a_figure_is_a_warning() -> None:
    decision = check_visit(kx_visit("2500.00", date_of_service=date(2027, 2, 1)))
    assert "no KX threshold figure for 2027" in finding(decision, "threshold.kx")
    assert all("KX" not in c.modifiers for c in decision.lines)


def test_pt_and_slp_share_a_bucket_label() -> None:
    decision = check_visit(kx_visit("100.00", discipline=Discipline.PT))
    assert finding(decision, "threshold.kx").startswith("PT and SLP combined threshold for 2026")


def test_a_line_without_an_allowed_amount_is_flagged() -> None:
    decision = check_visit(visit(line("97530", 30), line("97535", 15, amount="30.00")))
    assert "no allowed_amount for 97530" in finding(decision, "threshold.allowed_amount_missing")


def test_passing_the_targeted_review_amount_is_an_info_finding() -> None:
    decision = check_visit(kx_visit("2990.00"))
    assert "over the targeted medical review amount of $3,000.00" in finding(
        decision, "threshold.targeted_review"
    )
    assert severity(decision, "threshold.targeted_review") == "info"


def test_no_targeted_review_figure_is_shipped_past_2027() -> None:
    assert default_rulebook().review_threshold.entry_on(date(2027, 12, 31)) is not None
    assert default_rulebook().review_threshold.entry_on(date(2028, 1, 1)) is None


def test_modifiers_are_in_claim_order_go_co_kx_59() -> None:
    decision = check_visit(
        visit(
            line("97140", 15, amount="30.00"),
            line("97530", ota=15, amount="35.10", separate=True),
            ytd_allowed=Decimal("3000.00"),
        )
    )
    assert claim(decision) == [("97140", 1, ("GO", "KX")), ("97530", 1, ("GO", "CO", "KX", "59"))]
