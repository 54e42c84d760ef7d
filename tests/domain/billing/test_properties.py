"""Hypothesis properties of the billing check (issue 3, "Tests")."""

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.domain.billing import (
    InputProblems,
    ServiceLine,
    Visit,
    check_visit,
    check_visit_json,
    units_for_minutes,
)
from otclinic.domain.codes import Discipline, PayerPlan, Setting, UnitMethod
from tests.domain.billing.builders import units_by_code

TIMED = ["97110", "97112", "97140", "97530", "97533", "97535", "97537", "97542", "97750"]
UNTIMED = ["97150", "97165", "97168", "G0283", "97018", "97022"]
ASSISTANT_MODIFIERS = {"CO", "CQ"}

minutes = st.integers(min_value=0, max_value=70)
# No per-example deadline: the checks take well under a millisecond, but CI machines are shared
# and a deadline would make the properties flaky rather than stricter.


@st.composite
def service_lines(draw: st.DrawFn, codes: list[str] = TIMED) -> ServiceLine:
    return ServiceLine(
        code=draw(st.sampled_from(codes)),
        therapist_minutes=draw(minutes),
        assistant_minutes=draw(st.one_of(st.just(0), minutes)),
        together_minutes=draw(st.one_of(st.just(0), st.integers(0, 30))),
        allowed_amount=draw(st.one_of(st.none(), st.decimals("10.00", "60.00", places=2))),
        separate_time_block=draw(st.booleans()),
    )


@st.composite
def visits(draw: st.DrawFn, codes: list[str] = TIMED, method: UnitMethod | None = None) -> Visit:
    return Visit(
        date_of_service=draw(st.dates(date(2022, 1, 1), date(2026, 12, 31))),
        payer_plan=draw(st.sampled_from(PayerPlan)),
        lines=tuple(draw(st.lists(service_lines(codes), min_size=1, max_size=5))),
        unit_method=method or draw(st.one_of(st.none(), st.sampled_from(UnitMethod))),
        discipline=draw(st.sampled_from([Discipline.OT, Discipline.PT])),
        setting=draw(st.sampled_from(Setting)),
        ytd_allowed=draw(st.decimals("0.00", "3500.00", places=2)),
    )


def minutes_by_code(visit: Visit) -> Counter[str]:
    totals: Counter[str] = Counter()
    for line in visit.lines:
        totals[line.code] += line.minutes
    return totals


@settings(deadline=None)
@given(visits(method=UnitMethod.TOTAL_TIME))
def test_total_time_units_are_what_the_total_minutes_support(visit: Visit) -> None:
    decision = check_visit(visit)
    assert decision.total_timed_minutes == sum(line.minutes for line in visit.lines)
    assert decision.total_timed_units == units_for_minutes(decision.total_timed_minutes)
    assert sum(units_by_code(decision).values()) == decision.total_timed_units


@settings(deadline=None)
@given(visits(method=UnitMethod.TOTAL_TIME))
def test_total_time_gives_each_code_its_whole_blocks_and_at_most_one_more(visit: Visit) -> None:
    units = units_by_code(check_visit(visit))
    for code, total in minutes_by_code(visit).items():
        assert total // 15 <= units.get(code, 0) <= total // 15 + 1


@settings(deadline=None)
@given(visits(TIMED + UNTIMED))
def test_no_claim_line_has_zero_units(visit: Visit) -> None:
    assert all(line.units > 0 for line in check_visit(visit).lines)


@settings(deadline=None)
@given(visits(TIMED + UNTIMED))
def test_the_assistant_modifier_never_appears_without_assistant_minutes(visit: Visit) -> None:
    assistant = Counter[str]()
    for line in visit.lines:
        assistant[line.code] += line.assistant_minutes
    for claim_line in check_visit(visit).lines:
        if ASSISTANT_MODIFIERS & set(claim_line.modifiers):
            assert assistant[claim_line.code] > 0


@settings(deadline=None)
@given(visits(TIMED + UNTIMED))
def test_a_visit_without_assistant_minutes_has_no_assistant_modifier(visit: Visit) -> None:
    alone = replace(visit, lines=tuple(replace(line, assistant_minutes=0) for line in visit.lines))
    assert all(not ASSISTANT_MODIFIERS & set(c.modifiers) for c in check_visit(alone).lines)


@settings(deadline=None)
@given(visits(), st.sampled_from(UNTIMED), minutes)
def test_adding_an_untimed_code_never_changes_timed_units(
    visit: Visit, untimed: str, extra: int
) -> None:
    before = check_visit(visit)
    after = check_visit(replace(visit, lines=(*visit.lines, ServiceLine(untimed, extra))))
    assert after.total_timed_units == before.total_timed_units
    assert after.total_timed_minutes == before.total_timed_minutes
    timed_after = {code: n for code, n in units_by_code(after).items() if code in TIMED}
    assert timed_after == units_by_code(before)


@settings(deadline=None)
@given(visits(TIMED + UNTIMED))
def test_the_output_is_deterministic(visit: Visit) -> None:
    assert check_visit(visit) == check_visit(visit)


@settings(deadline=None)
@given(visits(TIMED + UNTIMED), st.randoms(use_true_random=False))
def test_the_order_of_the_lines_never_changes_the_units(visit: Visit, rng: Any) -> None:
    visit = replace(visit, lines=tuple(replace(ln, allowed_amount=None) for ln in visit.lines))
    shuffled = list(visit.lines)
    rng.shuffle(shuffled)

    def without_kx(v: Visit) -> Counter[tuple[str, int, tuple[str, ...]]]:
        lines = check_visit(v).lines
        return Counter((c.code, c.units, tuple(m for m in c.modifiers if m != "KX")) for c in lines)

    assert without_kx(replace(visit, lines=tuple(shuffled))) == without_kx(visit)


@settings(deadline=None)
@given(visits(method=UnitMethod.PER_CODE))
def test_per_code_never_gives_a_code_more_units_than_its_own_minutes_support(visit: Visit) -> None:
    units = units_by_code(check_visit(visit))
    for code, total in minutes_by_code(visit).items():
        assert units.get(code, 0) == units_for_minutes(total)


@settings(deadline=None)
@given(visits(TIMED + UNTIMED))
def test_billable_means_no_error_finding(visit: Visit) -> None:
    decision = check_visit(visit)
    assert decision.billable == all(str(f.severity) != "error" for f in decision.findings)


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(-5, 2000), st.floats(allow_nan=False),
        st.text(max_size=12), st.sampled_from(["97530", "2026-03-12", "medicare_part_b", "35.10"]),
    )  # fmt: skip
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


FIELDS = ["date_of_service", "payer_plan", "unit_method", "discipline", "ytd_allowed", "lines"]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), _json_values(), max_size=6))
def test_any_json_document_gets_a_decision_or_named_problems(document: dict[str, Any]) -> None:
    problems: list[str] = []
    try:
        output = json.loads(check_visit_json(json.dumps(document).encode()))
    except InputProblems as exc:
        problems = exc.problems
        output = None
    if output is None:
        assert problems
        assert all(":" in problem for problem in problems)
    else:
        assert isinstance(output["billable"], bool)


@settings(deadline=None)
@given(st.decimals("0.00", "9999.99", places=2))
def test_money_is_never_a_float_in_a_parsed_visit(amount: Decimal) -> None:
    document = {
        "date_of_service": "2026-03-12",
        "payer_plan": "medicare_part_b",
        "ytd_allowed": str(amount),
        "lines": [{"code": "97530", "therapist_minutes": 30, "allowed_amount": str(amount)}],
    }
    output = json.loads(check_visit_json(json.dumps(document).encode()))
    assert output["lines"][0]["units"] == 2
