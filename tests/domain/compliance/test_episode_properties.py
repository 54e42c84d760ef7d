"""Properties the episode check keeps for any well-formed episode."""

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.compliance.episode import (
    check_episode,
    check_episode_json,
    parse_episode,
    result_as_json,
    result_from_json,
)

START = date(2025, 1, 6)
TYPES = ["evaluation", "reevaluation", "treatment", "progress_report", "discharge"]
ROLES = ["OT", "OTA", "PT", "student"]


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


documents_st = st.lists(
    st.builds(
        lambda offset, kind, role: {"date": _day(offset), "type": kind, "author_role": role},
        st.integers(0, 150),
        st.sampled_from(TYPES),
        st.sampled_from(ROLES),
    ),
    max_size=40,
)
plan_st = st.builds(
    lambda duration, certified, verbal, sent, reason: {
        "established_on": _day(0),
        "duration_days": duration,
        "sent_to_physician_on": None if sent is None else _day(sent),
        "verbal_certification_on": None if verbal is None else _day(verbal),
        "certified_on": None if certified is None else _day(certified),
        "delay_reason": reason,
    },
    st.integers(1, 200),
    st.none() | st.integers(0, 60),
    st.none() | st.integers(0, 40),
    st.none() | st.integers(0, 40),
    st.none() | st.just("physician away"),
)
recerts_st = st.lists(
    st.builds(
        lambda signed, length: {"certified_on": _day(signed), "through": _day(signed + length)},
        st.integers(60, 200),
        st.integers(1, 120),
    ),
    max_size=3,
)
episode_st = st.builds(
    lambda as_of, plan, recerts, documents, referral, payer: {
        "discipline": "OT",
        "payer_plan": payer,
        "as_of": _day(as_of),
        "referral": referral,
        "plan_of_care": plan,
        "recertifications": recerts,
        "documents": documents,
    },
    st.integers(0, 160),
    plan_st,
    recerts_st,
    documents_st,
    st.none() | st.just({"signed_on": "2024-12-20", "names_discipline": True}),
    st.sampled_from(["medicare_part_b", "commercial", "medicaid"]),
)


def _run(data: dict[str, Any]) -> bytes:
    return check_episode_json(json.dumps(data).encode())


@given(episode_st)
def test_treatment_days_never_exceed_the_distinct_document_days(data: dict[str, Any]) -> None:
    answer = json.loads(_run(data))

    counted = {d["date"] for d in data["documents"] if d["date"] <= data["as_of"]}
    assert answer["treatment_days"] <= len(counted)
    assert answer["progress_report"]["treatment_days_in_period"] <= answer["treatment_days"]


@given(episode_st, st.randoms(use_true_random=False))
def test_the_answer_is_deterministic_and_ignores_document_order(
    data: dict[str, Any], rng: Any
) -> None:
    first = _run(data)
    shuffled = dict(data, documents=rng.sample(data["documents"], len(data["documents"])))

    assert _run(data) == first
    assert _run(shuffled) == first


@given(episode_st, st.integers(1, 30), st.sampled_from(TYPES), st.sampled_from(ROLES))
def test_a_document_after_as_of_changes_nothing(
    data: dict[str, Any], days_later: int, kind: str, role: str
) -> None:
    as_of = date.fromisoformat(data["as_of"])
    later = {
        "date": (as_of + timedelta(days=days_later)).isoformat(),
        "type": kind,
        "author_role": role,
    }

    assert _run(dict(data, documents=[*data["documents"], later])) == _run(data)


@given(episode_st)
def test_an_ot_report_on_as_of_leaves_nothing_overdue(data: dict[str, Any]) -> None:
    report = {"date": data["as_of"], "type": "progress_report", "author_role": "OT"}

    progress = json.loads(_run(dict(data, documents=[*data["documents"], report])))[
        "progress_report"
    ]

    assert progress["overdue"] is False
    assert progress["treatment_days_in_period"] == 0
    assert progress["period_start"] is None


@given(episode_st)
def test_overdue_always_comes_with_a_due_date_and_an_error(data: dict[str, Any]) -> None:
    answer = json.loads(_run(data))

    progress = answer["progress_report"]
    if progress["overdue"]:
        assert progress["due_by"] is not None
        assert progress["due_by"] <= data["as_of"]
        assert "episode.progress_report.overdue" in [f["rule_id"] for f in answer["findings"]]


@given(episode_st)
def test_the_initial_certification_never_covers_more_than_90_days(data: dict[str, Any]) -> None:
    answer = json.loads(_run(dict(data, recertifications=[])))

    through = date.fromisoformat(answer["certification"]["through"])
    assert START <= through < START + timedelta(days=90)
    duration = data["plan_of_care"]["duration_days"]
    assert (through - START).days + 1 == min(duration, 90)


@given(episode_st)
def test_a_stored_result_reads_back_equal_to_the_live_one(data: dict[str, Any]) -> None:
    """The clinic stores each episode's answer as `result_as_json` and shows it read back."""
    live = check_episode(parse_episode(data))

    stored = json.loads(json.dumps(result_as_json(live)))

    assert result_from_json(stored) == live
