"""The JSON door: the contract's input parsed field by field, and its output shape."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otclinic.domain.billing import InputProblems, check_visit_json, errors_json, parse_visit
from otclinic.domain.codes import Discipline, PayerPlan, Setting

DATA = Path(__file__).parent / "data"


def minimal(**fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "date_of_service": "2026-03-12",
        "payer_plan": "medicare_part_b",
        "lines": [{"code": "97530", "therapist_minutes": 30}],
    }
    document.update(fields)
    return document


def problems_of(document: Any) -> list[str]:
    with pytest.raises(InputProblems) as caught:
        parse_visit(document)
    return caught.value.problems


def test_the_contract_example_parses_with_every_field() -> None:
    visit = parse_visit(json.loads((DATA / "contract_example.json").read_text()))
    assert visit.date_of_service == date(2026, 3, 12)
    assert visit.payer_plan is PayerPlan.MEDICARE_PART_B
    assert visit.ytd_allowed == Decimal("1200.00")
    assert visit.lines[0].allowed_amount == Decimal("35.10")
    assert visit.lines[0].assistant_minutes == 12


def test_defaults_follow_the_contract() -> None:
    visit = parse_visit(minimal())
    assert (visit.discipline, visit.setting, visit.unit_method) == (
        Discipline.OT,
        Setting.PRIVATE_PRACTICE,
        None,
    )
    assert (visit.ytd_allowed, visit.patient_present, visit.caregiver_consent) == (
        Decimal("0.00"),
        True,
        False,
    )
    assert visit.lines[0].separate_time_block is False


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "input: must be a JSON object (one visit)"),
        ({"payer_plan": "medicare_part_b", "lines": [{"code": "97530"}]}, "date_of_service: is required"),
        (minimal(date_of_service="2026-02-30"), "date_of_service: must be an ISO date"),
        (minimal(date_of_service="20260312"), "date_of_service: must be an ISO date"),
        (minimal(payer_plan="medicare"), "payer_plan: must be one of medicare_part_b, "),
        (minimal(payer_plan=None), "payer_plan: is required"),
        (minimal(unit_method="ama"), "unit_method: must be one of total_time, per_code"),
        (minimal(discipline="OTA"), "discipline: must be one of OT, PT, SLP"),
        (minimal(setting="home"), "setting: must be one of private_practice"),
        (minimal(ytd_allowed=1200.5), "ytd_allowed: must be a decimal string"),
        (minimal(ytd_allowed="-5.00"), "ytd_allowed: must be a decimal string"),
        (minimal(ytd_allowed="12.345"), "ytd_allowed: must be a decimal string"),
        (minimal(patient_present="yes"), "patient_present: must be true or false"),
        (minimal(lines=[]), "lines: is required"),
        (minimal(lines="97530"), "lines: is required"),
        (minimal(lines=[7]), "lines[0]: must be an object"),
        (minimal(lines=[{"code": "9753"}]), "lines[0].code: must be a CPT or HCPCS code"),
        (minimal(lines=[{"code": "g0283"}]), "lines[0].code: must be a CPT or HCPCS code"),
        (minimal(lines=[{"therapist_minutes": 5}]), "lines[0].code: must be a CPT or HCPCS code"),
        (
            minimal(lines=[{"code": "97530"}, {"code": "97535", "assistant_minutes": -1}]),
            "lines[1].assistant_minutes: must be a whole number >= 0",
        ),
        (minimal(lines=[{"code": "97530", "therapist_minutes": 12.5}]), "lines[0].therapist_minutes: must be a whole number >= 0"),
        (minimal(lines=[{"code": "97530", "therapist_minutes": True}]), "lines[0].therapist_minutes: must be a whole number >= 0"),
        (minimal(lines=[{"code": "97530", "therapist_minutes": "30"}]), "lines[0].therapist_minutes: must be a whole number >= 0"),
        (minimal(lines=[{"code": "97530", "together_minutes": 1441}]), "lines[0].together_minutes: 1441 minutes is more than 24 hours"),
        (
            minimal(lines=[{"code": "97530", "therapist_minutes": 800}, {"code": "97535", "therapist_minutes": 800}]),
            "lines: minutes add up to 1600, more than 24 hours",
        ),
        (minimal(lines=[{"code": "97530", "allowed_amount": "$35"}]), "lines[0].allowed_amount: must be a decimal string"),
        (minimal(lines=[{"code": "97530", "separate_time_block": 1}]), "lines[0].separate_time_block: must be true or false"),
        (minimal(lines=[{"code": "97530", "minutes": 30}]), "lines[0].minutes: unknown field"),
        (minimal(ytd="1.00"), "ytd: unknown field"),
    ],
)  # fmt: skip
def test_each_bad_field_is_named(document: Any, problem: str) -> None:
    assert any(p.startswith(problem) for p in problems_of(document)), problems_of(document)


def test_every_problem_is_reported_at_once() -> None:
    document = minimal(payer_plan="x", lines=[{"code": "1", "assistant_minutes": -2}])
    assert problems_of(document) == [
        "payer_plan: must be one of medicare_part_b, medicare_advantage, medicaid, tricare, "
        'commercial, self_pay, not "x"',
        "lines[0].code: must be a CPT or HCPCS code such as 97530 or G0283",
        "lines[0].assistant_minutes: must be a whole number >= 0",
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"{", "input: invalid JSON at line 1 column 2"),
        (b"\xff\xfe", "input: is not UTF-8 text"),
    ],
)
def test_unreadable_input_is_one_problem(raw: bytes, problem: str) -> None:
    with pytest.raises(InputProblems) as caught:
        check_visit_json(raw)
    assert caught.value.problems[0].startswith(problem)


def test_the_output_has_the_contracts_keys_in_order() -> None:
    output = json.loads(check_visit_json((DATA / "contract_example.json").read_bytes()))
    assert list(output) == [
        "lines",
        "total_timed_minutes",
        "total_timed_units",
        "total_treatment_minutes",
        "findings",
        "billable",
    ]
    assert output["lines"] == [
        {"code": "97530", "units": 1, "modifiers": ["GO"]},
        {"code": "97530", "units": 1, "modifiers": ["GO", "CO"]},
    ]
    assert (output["total_timed_minutes"], output["total_timed_units"]) == (24, 2)
    assert output["total_treatment_minutes"] == 24
    assert output["billable"] is True
    for found in output["findings"]:
        assert list(found) == ["rule_id", "severity", "message", "citation"]
        assert found["severity"] in {"error", "warning", "info"}
        assert found["citation"]


def test_the_output_ends_with_a_newline_and_is_the_same_every_time() -> None:
    raw = (DATA / "total_time_two_codes.json").read_bytes()
    first = check_visit_json(raw)
    assert first.endswith(b"}\n")
    assert check_visit_json(raw) == first


def test_the_error_body_lists_the_problems() -> None:
    assert json.loads(errors_json(["lines: is required"])) == {"errors": ["lines: is required"]}
