"""Treatment days and progress-report periods (BPM ch. 15 sec. 220.3; reference sec. 6)."""

from datetime import date, timedelta

import pytest

from otclinic.domain.codes import PayerPlan
from otclinic.domain.compliance.episode import check_episode, parse_episode
from otclinic.domain.compliance.payer_policy import (
    PayerPolicy,
    PolicyOverride,
    ProgressInterval,
    resolve_policy,
)

from .episode_builders import REFERENCE_VISITS, check, doc, episode, finding, rule_ids, visits


def _days(start: str, count: int, *, every: int = 1) -> list[str]:
    first = date.fromisoformat(start)
    return [(first + timedelta(days=i * every)).isoformat() for i in range(count)]


def test_two_sessions_on_one_day_count_as_one_treatment_day() -> None:
    documents = [
        doc("2025-03-03", "evaluation"),
        doc("2025-03-03", "treatment", "OTA"),
        doc("2025-03-05", "treatment"),
        doc("2025-03-05", "treatment", "OTA"),
    ]

    answer = check(episode(documents=documents))

    assert answer["treatment_days"] == 2
    assert answer["progress_report"]["treatment_days_in_period"] == 2


def test_progress_reports_and_discharges_are_not_treatment_days() -> None:
    documents = [
        doc("2025-03-03", "evaluation"),
        doc("2025-03-04", "progress_report", "OTA"),
        doc("2025-03-05", "discharge"),
    ]

    assert check(episode(documents=documents))["treatment_days"] == 1


def test_the_first_period_starts_on_the_first_day_of_the_episode() -> None:
    answer = check(episode(documents=[doc("2025-03-05")], as_of="2025-03-06"))

    assert answer["progress_report"]["period_start"] == "2025-03-03"
    assert "episode.evaluation.missing" in rule_ids(answer)


def test_an_ot_progress_report_starts_the_next_period_on_the_next_treatment_day() -> None:
    documents = [
        *visits(REFERENCE_VISITS[:7]),
        doc("2025-03-17", "progress_report", "OT"),
        doc("2025-03-19"),
        doc("2025-03-21"),
    ]

    answer = check(episode(documents=documents))

    assert answer["treatment_days"] == 9
    assert answer["progress_report"]["period_start"] == "2025-03-19"
    assert answer["progress_report"]["treatment_days_in_period"] == 2


@pytest.mark.parametrize("role", ["OTA", "student"])
def test_a_progress_report_by_an_assistant_or_student_does_not_reset_the_period(
    role: str,
) -> None:
    documents = [*visits(REFERENCE_VISITS[:7]), doc("2025-03-17", "progress_report", role)]
    documents += [doc(d) for d in REFERENCE_VISITS[7:]]

    answer = check(episode(documents=documents))

    assert answer["progress_report"]["period_start"] == "2025-03-03"
    assert answer["progress_report"]["due_by"] == "2025-03-24"
    not_counted = finding(answer, "episode.progress_report.not_qualifying")
    assert "2025-03-17" in not_counted["message"]
    assert f"by the {role}" in not_counted["message"]


def test_a_reevaluation_by_the_ot_resets_the_period_and_is_a_treatment_day() -> None:
    documents = [*visits(REFERENCE_VISITS[:8]), doc("2025-03-20", "reevaluation", "OT")]
    documents += [doc("2025-03-21"), doc("2025-03-24")]

    answer = check(episode(documents=documents))

    assert answer["treatment_days"] == 11
    assert answer["progress_report"]["period_start"] == "2025-03-21"
    assert answer["progress_report"]["treatment_days_in_period"] == 2


def test_a_reevaluation_by_an_ota_does_not_reset_and_is_an_error() -> None:
    documents = [*visits(REFERENCE_VISITS[:8]), doc("2025-03-20", "reevaluation", "OTA")]

    answer = check(episode(documents=documents))

    assert answer["progress_report"]["period_start"] == "2025-03-03"
    assert answer["progress_report"]["treatment_days_in_period"] == 9
    assert finding(answer, "episode.document.author_not_permitted")["severity"] == "error"


def test_treatment_after_the_10th_day_without_a_report_is_overdue() -> None:
    documents = visits([*REFERENCE_VISITS, "2025-03-26"])

    answer = check(episode(documents=documents, as_of="2025-03-26"))

    assert answer["progress_report"]["due_by"] == "2025-03-24"
    assert answer["progress_report"]["overdue"] is True
    overdue = finding(answer, "episode.progress_report.overdue")
    assert overdue["severity"] == "error"
    assert (
        "10th treatment day of the period that began 2025-03-03 is 2025-03-24"
        in (overdue["message"])
    )
    assert "2025-03-26" in overdue["message"]
    assert "episode.progress_report.due" not in rule_ids(answer)


def test_a_report_after_the_10th_day_clears_overdue_but_reports_the_late_period() -> None:
    documents = [
        *visits([*REFERENCE_VISITS, "2025-03-26"]),
        doc("2025-03-27", "progress_report", "OT"),
        doc("2025-03-28"),
    ]

    answer = check(episode(documents=documents, as_of="2025-03-28"))

    assert answer["progress_report"]["overdue"] is False
    assert answer["progress_report"]["period_start"] == "2025-03-28"
    late = finding(answer, "episode.progress_report.late")
    assert "2025-03-26" in late["message"]
    assert "2025-03-27" in late["message"]


def test_documents_after_as_of_are_ignored() -> None:
    later = [doc("2025-04-01"), doc("2025-04-02", "progress_report")]

    with_later = check(episode(documents=[*visits(REFERENCE_VISITS), *later]))

    assert with_later == check(episode())


def test_a_document_by_another_disciplines_clinician_is_not_counted() -> None:
    documents = [*visits(REFERENCE_VISITS[:3]), doc("2025-03-11", "treatment", "PT")]

    answer = check(episode(documents=documents))

    assert answer["treatment_days"] == 3
    assert "2025-03-11" in finding(answer, "episode.document.other_discipline")["message"]


def test_a_discharge_ends_the_need_to_recertify() -> None:
    documents = [*visits(REFERENCE_VISITS[:5]), doc("2025-03-13", "discharge", "OT")]

    answer = check(episode(documents=documents))

    assert answer["certification"]["recertification_due_by"] is None
    assert answer["certification"]["through"] == "2025-05-25"


def test_treatment_after_discharge_is_flagged() -> None:
    documents = [*visits(REFERENCE_VISITS[:3]), doc("2025-03-06", "discharge"), doc("2025-03-10")]

    answer = check(episode(documents=documents))

    assert "2025-03-10" in finding(answer, "episode.treatment_after_discharge")["message"]


def test_a_discharge_by_an_ota_is_an_error() -> None:
    documents = [*visits(REFERENCE_VISITS[:3]), doc("2025-03-10", "discharge", "OTA")]

    answer = check(episode(documents=documents))

    assert finding(answer, "episode.document.author_not_permitted")["severity"] == "error"


def _calendar_policy(days: int) -> PayerPolicy:
    override = PolicyOverride(
        name="acme_commercial",
        plans=frozenset({PayerPlan.COMMERCIAL}),
        progress_interval_kind=ProgressInterval.CALENDAR_DAYS,
        progress_interval=days,
    )
    return resolve_policy(plan=PayerPlan.COMMERCIAL, overrides=(override,))


@pytest.mark.parametrize(
    ("interval", "due_by", "overdue"),
    [(30, "2025-04-01", False), (21, "2025-03-23", True), (22, "2025-03-24", False)],
)
def test_a_calendar_day_interval_counts_from_the_period_start(
    interval: int, due_by: str, overdue: bool
) -> None:
    policy = _calendar_policy(interval)
    data = episode(payer_plan="commercial")

    result = check_episode(parse_episode(data), policy=policy)

    assert result.progress_report.due_by == date.fromisoformat(due_by)
    assert result.progress_report.overdue is overdue
    assert any("acme_commercial" in f.message for f in result.findings) is (
        date.fromisoformat(due_by) <= date(2025, 3, 26)
    )


def test_a_visit_interval_from_the_payer_policy_sets_the_due_day() -> None:
    override = PolicyOverride(
        name="acme_six_visits",
        plans=frozenset({PayerPlan.COMMERCIAL}),
        progress_interval_kind=ProgressInterval.TREATMENT_DAYS,
        progress_interval=6,
    )
    policy = resolve_policy(plan=PayerPlan.COMMERCIAL, overrides=(override,))

    result = check_episode(parse_episode(episode(payer_plan="commercial")), policy=policy)

    assert result.progress_report.due_by == date.fromisoformat(REFERENCE_VISITS[5])
    assert result.progress_report.overdue is True


@pytest.mark.parametrize(
    ("authorized", "rule_id"),
    [(12, None), (10, "episode.authorization.reached"), (8, "episode.authorization.exceeded")],
)
def test_treatment_days_are_held_against_the_authorised_visits(
    authorized: int, rule_id: str | None
) -> None:
    answer = check(episode(authorized_visits=authorized))

    fired = [r for r in rule_ids(answer) if r.startswith("episode.authorization")]
    assert fired == ([rule_id] if rule_id else [])


def test_exceeded_authorisation_names_the_visits_beyond_it() -> None:
    answer = check(episode(authorized_visits=8))

    message = finding(answer, "episode.authorization.exceeded")["message"]
    assert "10 treatment days against 8 authorised" in message
    assert "2025-03-21, 2025-03-24" in message


def test_a_long_run_of_daily_treatment_has_one_period_per_report() -> None:
    days = _days("2025-03-03", 25)
    documents = [*visits(days), doc(days[9], "progress_report"), doc(days[19], "progress_report")]

    answer = check(episode(documents=documents, as_of=days[-1]))

    assert answer["progress_report"]["period_start"] == days[20]
    assert answer["progress_report"]["treatment_days_in_period"] == 5
    assert answer["progress_report"]["overdue"] is False
    assert not [r for r in rule_ids(answer) if r.startswith("episode.progress_report")]


def test_a_report_after_the_10th_day_but_before_the_next_treatment_is_in_time() -> None:
    documents = [
        *visits(REFERENCE_VISITS),
        doc("2025-03-25", "progress_report", "OT"),
        doc("2025-03-26"),
    ]

    answer = check(episode(documents=documents, as_of="2025-03-26"))

    assert answer["progress_report"]["period_start"] == "2025-03-26"
    assert answer["progress_report"]["overdue"] is False
    assert not [r for r in rule_ids(answer) if r.startswith("episode.progress_report")]
