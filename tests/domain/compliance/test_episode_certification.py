"""Certification, recertification and lapse (BPM ch. 15 sec. 220.1.2-220.1.3; 89 FR 97710)."""

from typing import Any

import pytest

from .episode_builders import REFERENCE_VISITS, check, doc, episode, finding, plan, rule_ids, visits

NAMING_REFERRAL = {"signed_on": "2025-02-20", "names_discipline": True}

# established_on is 2025-03-03 throughout: its 30 days end on 2025-04-02.
STATUS_CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None, str, str]] = [
    ("signed on day 1", {"certified_on": "2025-03-03"}, None, "2025-03-26", "timely"),
    ("signed on the 30th day after", {"certified_on": "2025-04-02"}, None, "2025-04-10", "timely"),
    ("signed a day late", {"certified_on": "2025-04-03"}, None, "2025-04-10", "delayed"),
    ("unsigned inside 30 days", {"certified_on": None}, None, "2025-04-02", "pending"),
    ("unsigned past 30 days", {"certified_on": None}, None, "2025-04-03", "overdue"),
    (
        "verbal in time, signed within 14 days of it",
        {"certified_on": "2025-04-10", "verbal_certification_on": "2025-03-30"},
        None,
        "2025-04-10",
        "timely",
    ),
    (
        "verbal in time, signed after its 14 days",
        {"certified_on": "2025-04-14", "verbal_certification_on": "2025-03-30"},
        None,
        "2025-04-14",
        "delayed",
    ),
    (
        "verbal in time, unsigned, inside its 14 days",
        {"certified_on": None, "verbal_certification_on": "2025-03-30"},
        None,
        "2025-04-13",
        "pending",
    ),
    (
        "verbal in time, unsigned, past its 14 days",
        {"certified_on": None, "verbal_certification_on": "2025-03-30"},
        None,
        "2025-04-14",
        "overdue",
    ),
    (
        "referral naming OT and plan sent in time",
        {"certified_on": None, "sent_to_physician_on": "2025-04-02"},
        NAMING_REFERRAL,
        "2025-06-01",
        "exempt_by_referral",
    ),
    (
        "referral, plan sent on the 31st day",
        {"certified_on": None, "sent_to_physician_on": "2025-04-03"},
        NAMING_REFERRAL,
        "2025-04-10",
        "overdue",
    ),
    (
        "referral, plan not sent yet",
        {"certified_on": None},
        NAMING_REFERRAL,
        "2025-03-20",
        "pending",
    ),
    (
        "referral not naming OT",
        {"certified_on": None, "sent_to_physician_on": "2025-03-05"},
        {"signed_on": "2025-02-20", "names_discipline": False},
        "2025-04-10",
        "overdue",
    ),
    (
        "referral signed after as_of",
        {"certified_on": None, "sent_to_physician_on": "2025-03-05"},
        {"signed_on": "2025-03-20", "names_discipline": True},
        "2025-03-10",
        "pending",
    ),
    (
        "signed and exempt: the signature decides",
        {"certified_on": "2025-05-01", "sent_to_physician_on": "2025-03-05"},
        NAMING_REFERRAL,
        "2025-05-01",
        "delayed",
    ),
]


@pytest.mark.parametrize(
    ("plan_fields", "referral", "as_of", "status"),
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_the_certification_status_follows_the_table(
    plan_fields: dict[str, Any], referral: dict[str, Any] | None, as_of: str, status: str
) -> None:
    data = episode(plan_of_care=plan(**plan_fields), referral=referral, as_of=as_of)

    assert check(data)["certification"]["status"] == status


@pytest.mark.parametrize(
    ("established_on", "status"),
    [("2024-12-31", "overdue"), ("2025-01-01", "exempt_by_referral")],
)
def test_the_referral_exception_applies_from_2025(established_on: str, status: str) -> None:
    fields = {
        "established_on": established_on,
        "certified_on": None,
        "sent_to_physician_on": established_on,
    }
    referral = {"signed_on": "2024-12-01", "names_discipline": True}
    data = episode(plan_of_care=plan(**fields), referral=referral, as_of="2025-03-01", documents=[])

    answer = check(data)

    assert answer["certification"]["status"] == status
    if status == "overdue":
        reason = finding(answer, "episode.certification.referral_exception_not_met")["message"]
        assert "on or after 2025-01-01" in reason
    else:
        assert (
            "89 FR 97710" in finding(answer, "episode.certification.exempt_by_referral")["citation"]
        )


@pytest.mark.parametrize("signed", ["2025-04-03", "2025-04-20", "2025-05-02"])
def test_a_signature_within_30_days_after_it_was_due_is_a_warning_needing_no_reason(
    signed: str,
) -> None:
    # Evaluated 2025-03-03: due 2025-04-02, accepted without justification through 2025-05-02.
    answer = check(episode(plan_of_care=plan(certified_on=signed), as_of=signed))

    assert answer["certification"]["status"] == "delayed"
    late = finding(answer, "episode.certification.delayed_in_window")
    assert late["severity"] == "warning"
    assert "through 2025-05-02" in late["message"]
    assert "220.1.3.D" in late["citation"]
    assert "episode.certification.delayed_without_reason" not in rule_ids(answer)


def test_a_delay_past_the_window_without_a_reason_is_an_error_showing_the_dates() -> None:
    answer = check(episode(plan_of_care=plan(certified_on="2025-05-03"), as_of="2025-05-03"))

    delayed = finding(answer, "episode.certification.delayed_without_reason")
    assert delayed["severity"] == "error"
    assert "2025-05-03" in delayed["message"]
    assert "end on 2025-04-02" in delayed["message"]
    assert "through 2025-05-02" in delayed["message"]


@pytest.mark.parametrize(("reason", "error"), [("physician on leave", False), ("   ", True)])
def test_a_recorded_delay_reason_turns_the_error_into_information(reason: str, error: bool) -> None:
    fields = {"certified_on": "2025-05-20", "delay_reason": reason}
    answer = check(episode(plan_of_care=plan(**fields), as_of="2025-05-20"))

    assert answer["certification"]["status"] == "delayed"
    assert ("episode.certification.delayed_without_reason" in rule_ids(answer)) is error
    assert ("episode.certification.delayed" in rule_ids(answer)) is not error


@pytest.mark.parametrize(
    ("as_of", "severity"),
    [("2025-04-03", "warning"), ("2025-05-02", "warning"), ("2025-05-03", "error")],
)
def test_an_unsigned_plan_past_30_days_warns_for_30_more_days_then_is_an_error(
    as_of: str, severity: str
) -> None:
    answer = check(episode(plan_of_care=plan(certified_on=None), as_of=as_of))

    assert answer["certification"]["status"] == "overdue"
    overdue = finding(answer, "episode.certification.overdue")
    assert overdue["severity"] == severity
    assert "2025-04-02" in overdue["message"]


def test_an_unsigned_plan_past_the_window_with_a_delay_reason_is_a_warning() -> None:
    fields = {"certified_on": None, "delay_reason": "physician abroad until June"}
    answer = check(episode(plan_of_care=plan(**fields), as_of="2025-05-20"))

    assert finding(answer, "episode.certification.overdue")["severity"] == "warning"


def test_a_verbal_certification_left_unsigned_past_14_days_is_flagged() -> None:
    fields = {"certified_on": None, "verbal_certification_on": "2025-03-10"}

    answer = check(episode(plan_of_care=plan(**fields), as_of="2025-03-25"))

    assert answer["certification"]["status"] == "pending"
    assert "by 2025-03-24" in finding(answer, "episode.certification.verbal_unsigned")["message"]


@pytest.mark.parametrize(
    ("duration_days", "through"),
    [
        (1, "2025-03-03"),
        (84, "2025-05-25"),
        (89, "2025-05-30"),
        (90, "2025-05-31"),
        (120, "2025-05-31"),
    ],
)
def test_the_certification_covers_the_plan_or_90_days_counting_the_evaluation_as_day_1(
    duration_days: int, through: str
) -> None:
    answer = check(episode(plan_of_care=plan(duration_days=duration_days)))

    assert answer["certification"]["through"] == through
    assert answer["certification"]["recertification_due_by"] == through
    assert "check" in finding(answer, "episode.certification.period")["citation"]


RECERT = {"certified_on": "2025-05-20", "through": "2025-08-17"}


@pytest.mark.parametrize(
    ("as_of", "through"),
    [("2025-03-26", "2025-05-25"), ("2025-05-25", "2025-05-25"), ("2025-05-26", "2025-08-17")],
)
def test_the_current_certification_is_the_one_covering_as_of(as_of: str, through: str) -> None:
    answer = check(episode(recertifications=[RECERT], as_of=as_of))

    assert answer["certification"]["through"] == through
    assert answer["certification"]["recertification_due_by"] == through


def test_treatment_after_the_certification_lapsed_is_an_error() -> None:
    documents = [*visits(REFERENCE_VISITS), doc("2025-05-27"), doc("2025-05-29")]

    answer = check(episode(documents=documents, as_of="2025-06-01"))

    assert answer["certification"]["through"] == "2025-05-25"
    lapsed = finding(answer, "episode.treatment_after_certification")
    assert lapsed["severity"] == "error"
    assert "ran through 2025-05-25" in lapsed["message"]
    assert "2025-05-27, 2025-05-29" in lapsed["message"]


def test_a_recertification_covers_treatment_after_the_first_certification() -> None:
    documents = [*visits(REFERENCE_VISITS), doc("2025-05-27")]

    answer = check(episode(documents=documents, recertifications=[RECERT], as_of="2025-06-01"))

    assert "episode.treatment_after_certification" not in rule_ids(answer)
    assert "episode.recertification.late" not in rule_ids(answer)


def test_a_recertification_signed_after_the_lapse_is_late() -> None:
    late = {"certified_on": "2025-06-02", "through": "2025-08-17"}

    answer = check(episode(recertifications=[late], as_of="2025-06-02"))

    assert "ended on 2025-05-25" in finding(answer, "episode.recertification.late")["message"]


def test_a_recertification_certifies_90_days_at_most() -> None:
    long = {"certified_on": "2025-05-20", "through": "2025-09-30"}
    documents = [*visits(REFERENCE_VISITS), doc("2025-08-25")]

    answer = check(episode(recertifications=[long], documents=documents, as_of="2025-08-25"))

    assert answer["certification"]["through"] == "2025-08-23"
    assert "episode.recertification.over_90_days" in rule_ids(answer)
    assert "episode.treatment_after_certification" in rule_ids(answer)
