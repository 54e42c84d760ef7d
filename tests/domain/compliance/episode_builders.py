"""Small builders for episode-check inputs in the contract's JSON shape."""

import json
from typing import Any

from otclinic.domain.compliance.episode import check_episode_json

# A worked example of BPM 220.3's ten treatment days: the evaluation on 3/3, then visits.
REFERENCE_VISITS = (
    "2025-03-03",
    "2025-03-05",
    "2025-03-07",
    "2025-03-10",
    "2025-03-12",
    "2025-03-14",
    "2025-03-17",
    "2025-03-19",
    "2025-03-21",
    "2025-03-24",
)


def doc(day: str, kind: str = "treatment", role: str = "OT") -> dict[str, str]:
    return {"date": day, "type": kind, "author_role": role}


def visits(days: tuple[str, ...] | list[str], *, role: str = "OT") -> list[dict[str, str]]:
    """The first day as the evaluation, the rest as treatment sessions."""
    return [doc(days[0], "evaluation", "OT")] + [doc(d, "treatment", role) for d in days[1:]]


def plan(**fields: Any) -> dict[str, Any]:
    return {
        "established_on": "2025-03-03",
        "duration_days": 84,
        "sent_to_physician_on": None,
        "verbal_certification_on": None,
        "certified_on": "2025-03-10",
        "delay_reason": None,
    } | fields


def episode(**fields: Any) -> dict[str, Any]:
    return {
        "discipline": "OT",
        "payer_plan": "medicare_part_b",
        "as_of": "2025-03-26",
        "plan_of_care": plan(),
        "documents": visits(REFERENCE_VISITS),
    } | fields


def check(data: dict[str, Any]) -> dict[str, Any]:
    """The answer through the JSON helper every door uses."""
    answer: dict[str, Any] = json.loads(check_episode_json(json.dumps(data).encode()))
    return answer


def rule_ids(answer: dict[str, Any]) -> list[str]:
    return [f["rule_id"] for f in answer["findings"]]


def finding(answer: dict[str, Any], rule_id: str) -> dict[str, str]:
    matches = [f for f in answer["findings"] if f["rule_id"] == rule_id]
    assert len(matches) == 1, f"expected one {rule_id}, got {rule_ids(answer)}"
    return matches[0]
