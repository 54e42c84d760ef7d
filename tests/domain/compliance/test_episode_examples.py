"""The contract's example and a worked example of the ten-treatment-day rule, end to end.

The contract's input lists three documents for brevity while its output counts ten treatment days;
data/contract_example.json is its input with the worked example's ten visits (BPM Pub. 100-02 ch. 15
sec. 220.3: a progress report by the 10th treatment day) in their place, which is what the
contract's output numbers describe.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from otclinic.domain.codes import Discipline, DocumentType, PayerPlan
from otclinic.domain.compliance.episode import (
    CertificationStatus,
    Episode,
    EpisodeDocument,
    PlanOfCare,
    check_episode,
    check_episode_json,
    result_as_json,
)
from otclinic.domain.compliance.episode_model import AuthorRole

from .episode_builders import REFERENCE_VISITS, check, episode, finding, visits

CONTRACT_EXAMPLE = Path(__file__).parent / "data" / "contract_example.json"


def test_the_contract_example_gives_the_contract_answer() -> None:
    answer = json.loads(check_episode_json(CONTRACT_EXAMPLE.read_bytes()))

    assert answer["treatment_days"] == 10
    assert answer["progress_report"] == {
        "period_start": "2025-03-03",
        "treatment_days_in_period": 10,
        "due_by": "2025-03-24",
        "overdue": False,
    }
    assert answer["certification"] == {
        "status": "timely",
        "through": "2025-05-25",
        "recertification_due_by": "2025-05-25",
    }


def test_the_answer_has_exactly_the_contracts_keys_in_its_order() -> None:
    answer = json.loads(check_episode_json(CONTRACT_EXAMPLE.read_bytes()))

    assert list(answer) == ["treatment_days", "progress_report", "certification", "findings"]
    assert list(answer["progress_report"]) == [
        "period_start",
        "treatment_days_in_period",
        "due_by",
        "overdue",
    ]
    assert list(answer["certification"]) == ["status", "through", "recertification_due_by"]
    for item in answer["findings"]:
        assert list(item) == ["rule_id", "severity", "message", "citation"]
        assert item["severity"] in {"error", "warning", "info"}
        assert item["citation"]


def test_the_due_finding_shows_the_days_counted() -> None:
    answer = json.loads(check_episode_json(CONTRACT_EXAMPLE.read_bytes()))

    due = finding(answer, "episode.progress_report.due")
    assert due["severity"] == "warning"
    assert "10th treatment day of the period that began 2025-03-03 is 2025-03-24" in due["message"]
    assert due["citation"] == "BPM ch. 15 sec. 220.3"


@pytest.mark.parametrize(
    ("as_of", "treatment_days", "due_by"),
    [
        ("2025-03-03", 1, None),
        ("2025-03-21", 9, None),
        ("2025-03-23", 9, None),
        ("2025-03-24", 10, "2025-03-24"),
        ("2025-03-31", 10, "2025-03-24"),
    ],
)
def test_the_reference_example_makes_3_24_the_10th_treatment_day(
    as_of: str, treatment_days: int, due_by: str | None
) -> None:
    answer = check(episode(as_of=as_of))

    assert answer["treatment_days"] == treatment_days
    assert answer["progress_report"]["treatment_days_in_period"] == treatment_days
    assert answer["progress_report"]["due_by"] == due_by
    assert answer["progress_report"]["overdue"] is False


def test_an_ot_progress_report_on_the_10th_day_satisfies_the_reference_example() -> None:
    documents = [
        *visits(REFERENCE_VISITS),
        {"date": "2025-03-24", "type": "progress_report", "author_role": "OT"},
    ]

    answer = check(episode(documents=documents, as_of="2025-03-24"))

    assert answer["progress_report"] == {
        "period_start": None,
        "treatment_days_in_period": 0,
        "due_by": None,
        "overdue": False,
    }
    assert "episode.progress_report.due" not in [f["rule_id"] for f in answer["findings"]]


def test_the_python_function_gives_the_same_answer_as_the_json_helper() -> None:
    days = [date.fromisoformat(d) for d in REFERENCE_VISITS]
    documents = tuple(EpisodeDocument(day, DocumentType.TREATMENT, AuthorRole.OT) for day in days)
    typed = Episode(
        discipline=Discipline.OT,
        payer_plan=PayerPlan.MEDICARE_PART_B,
        as_of=date(2025, 3, 26),
        plan_of_care=PlanOfCare(date(2025, 3, 3), 84, certified_on=date(2025, 3, 10)),
        documents=(
            EpisodeDocument(days[0], DocumentType.EVALUATION, AuthorRole.OT),
            *documents[1:],
        ),
    )

    result = check_episode(typed)

    assert result.treatment_days == 10
    assert result.progress_report.due_by == date(2025, 3, 24)
    assert result.certification.status is CertificationStatus.TIMELY
    assert result_as_json(result) == check(episode())
