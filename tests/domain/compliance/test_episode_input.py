"""Bad input: every problem named by its field, nothing checked (contract, "Bad input")."""

import json
from typing import Any

import pytest

from otclinic.domain.compliance.episode import check_episode_json
from otclinic.domain.compliance.findings import InputProblems

from .episode_builders import doc, episode, plan

TYPES = "evaluation, reevaluation, treatment, progress_report, discharge"


def _problems(raw: bytes) -> list[str]:
    with pytest.raises(InputProblems) as caught:
        check_episode_json(raw)
    return caught.value.problems


def _problems_of(data: Any) -> list[str]:
    return _problems(json.dumps(data).encode())


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"discipline": "OTR"}, "discipline: must be one of OT, PT, SLP"),
        ({"payer_plan": None}, "payer_plan: must be one of medicare_part_b, "),
        ({"as_of": "26/03/2025"}, "as_of: must be a date, YYYY-MM-DD (got '26/03/2025')"),
        ({"as_of": "2025-02-30"}, "as_of: must be a date, YYYY-MM-DD (got '2025-02-30')"),
        ({"as_of": "20250326"}, "as_of: must be a date, YYYY-MM-DD (got '20250326')"),
        ({"as_of": "2025-03-01"}, "as_of: is before plan_of_care.established_on (2025-03-03)"),
        ({"plan_of_care": None}, "plan_of_care: is required"),
        ({"plan_of_care": plan(duration_days=0)}, "plan_of_care.duration_days: must be a whole"),
        ({"plan_of_care": plan(duration_days=True)}, "plan_of_care.duration_days: must be a whole"),
        ({"plan_of_care": plan(certifed_on="x")}, "plan_of_care.certifed_on: is not a field"),
        ({"plan_of_care": plan(delay_reason=3)}, "plan_of_care.delay_reason: must be text or null"),
        (
            {"plan_of_care": plan(certified_on="2025-03-01")},
            "plan_of_care.certified_on: is before plan_of_care.established_on (2025-03-03)",
        ),
        (
            {"referral": {"signed_on": "2025-02-20"}},
            "referral.names_discipline: must be true or false",
        ),
        ({"referral": "yes"}, "referral: must be an object"),
        ({"recertifications": {}}, "recertifications: must be a list"),
        (
            {"recertifications": [{"certified_on": "2025-05-20"}]},
            "recertifications[0].through: is required",
        ),
        (
            {"documents": [doc("2025-03-03"), doc("2025-03-04"), doc("2025-03-05", "visit")]},
            f"documents[2].type: must be one of {TYPES}",
        ),
        (
            {"documents": [doc("2025-03-04", role="aide")]},
            "documents[0].author_role: must be one of OT, OTA, PT, PTA, SLP, student",
        ),
        (
            {"documents": [doc("2025-03-02")]},
            "documents[0].date: is before plan_of_care.established_on (2025-03-03)",
        ),
        ({"documents": ["2025-03-04"]}, "documents[0]: must be an object"),
        ({"authorized_visits": -1}, "authorized_visits: must be a whole number from 0 to 10000"),
        ({"extra": 1}, "extra: is not a field of the episode check"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, Any], problem: str) -> None:
    problems = _problems_of(episode(**change))

    assert any(p.startswith(problem) for p in problems), problems


def test_every_problem_is_reported_at_once() -> None:
    data = episode(
        discipline="XX",
        as_of="soon",
        documents=[doc("2025-03-04", "visit"), doc("2025-03-05", role="aide")],
    )

    problems = _problems_of(data)

    assert [p.split(":")[0] for p in problems] == [
        "discipline",
        "as_of",
        "documents[0].type",
        "documents[1].author_role",
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"{not json", "input: invalid JSON at line 1 column 2"),
        (b"\xff\xfe", "input: is not UTF-8 text"),
        (b"[]", "input: must be an object"),
    ],
)
def test_input_that_is_not_an_episode_object_is_refused(raw: bytes, problem: str) -> None:
    problems = _problems(raw)

    assert problems[0].startswith(problem)


def test_a_document_after_as_of_must_still_be_well_formed() -> None:
    problems = _problems_of(episode(documents=[doc("2025-09-01", "visit")]))

    assert problems == [f"documents[0].type: must be one of {TYPES}"]
