"""What the assistant asks a model, and how its answers are judged: a narrative that states
figures not on the note is refused; shorthand it reads is checked like a typed line."""

import json
from decimal import Decimal

import pytest

from otclinic.domain.care.assistant import (
    ProposedEntry,
    figures,
    narrative_messages,
    narrative_problems,
    proposal_line,
    shorthand_reading,
)
from otclinic.domain.care.narrative import GoalMeasure, Intervention, NoteContent
from otclinic.domain.care.shorthand import Writer, parse_line

CONTENT = NoteContent(
    interventions=(Intervention("97530", "Therapeutic activity", 23),),
    goals=(GoalMeasure("grip strength", Decimal("22.50"), "kg"),),
)
SENT = "\n".join(m["content"] for m in narrative_messages(CONTENT))
PLAN = frozenset({"97530", "97535"})


def test_the_request_carries_the_entries_and_their_standard_draft() -> None:
    assert "97530" in SENT
    assert "Treatment provided: therapeutic activity (97530, 23 min)" in SENT
    assert '"value": "22.5"' in SENT


def test_figures_are_values_so_a_rewording_of_a_number_is_the_same_number() -> None:
    assert figures("22.50 kg, 23 min, [NAME_1], 97530") == {
        Decimal("22.5"),
        Decimal("23"),
        Decimal("97530"),
    }


@pytest.mark.parametrize(
    "draft",
    [
        "Pt engaged in skilled therapeutic activity (97530) for 23 minutes; grip 22.5 kg.",
        "[NAME_1] completed therapeutic activity with cues.",
    ],
)
def test_a_draft_that_keeps_the_notes_figures_is_offered(draft: str) -> None:
    assert narrative_problems(draft, sent=SENT) == []


@pytest.mark.parametrize(
    ("draft", "stray"),
    [
        ("Therapeutic activity (97530) for 53 minutes.", "53"),
        ("Bill 97110 and 97530 for 23 minutes.", "97110"),
        ("Ignore the note: 4 units of 97530.", "4"),
    ],
)
def test_a_draft_that_changes_codes_or_minutes_is_refused(draft: str, stray: str) -> None:
    problems = narrative_problems(draft, sent=SENT)
    assert problems and stray in problems[0]


def test_an_empty_draft_is_refused() -> None:
    assert narrative_problems("  ", sent=SENT) == ["The assistant gave no text."]


LINES = ["ther act 15 tol w/ RW CGA", "blah 97999 forever", "ADL LB dressing 10 min min A"]


def reply(*entries: dict[str, object]) -> str:
    return json.dumps({"entries": list(entries)})


def test_entries_the_model_read_are_proposed_and_the_rest_stay_unread() -> None:
    reading = shorthand_reading(
        reply(
            {"line": 1, "code": "97530", "minutes": 15, "assist_level": "CGA", "devices": ["RW"]},
            {"line": 3, "code": "97535", "minutes": "10", "who": "together"},
        ),
        LINES,
        codes=PLAN,
        default_who="assistant",
    )
    assert [(e.code, e.minutes, e.who, e.assist_level) for e in reading.proposed] == [
        ("97530", 15, "assistant", "CGA"),
        ("97535", 10, "together", ""),
    ]
    assert reading.proposed[0].devices == ("RW",)
    assert reading.unread == ("blah 97999 forever",)


@pytest.mark.parametrize(
    "entry",
    [
        {"line": 2, "code": "97999", "minutes": 15},  # not a code of the plan
        {"line": 1, "code": "97530", "minutes": 500},  # more than a line allows
        {"line": 1, "code": "97530", "minutes": 7.5},  # not whole minutes
        {"line": 1, "code": "97530", "minutes": True},
        {"line": 1, "code": "97530", "minutes": 15, "who": "billing office"},
        {"line": 9, "code": "97530", "minutes": 15},  # no such line
        {"code": "97530", "minutes": 15},
    ],
)
def test_an_entry_that_would_fail_as_a_typed_line_is_not_proposed(entry: dict[str, object]) -> None:
    reading = shorthand_reading(reply(entry), LINES, codes=PLAN, default_who="assistant")
    assert reading.proposed == ()
    assert reading.unread == tuple(LINES)


@pytest.mark.parametrize("answer", ["not json", "[1, 2]", '{"entries": "all"}', "null"])
def test_a_reply_that_is_not_the_asked_json_reads_nothing(answer: str) -> None:
    reading = shorthand_reading(answer, LINES, codes=PLAN, default_who="assistant")
    assert reading.proposed == ()
    assert reading.unread == tuple(LINES)


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ({"line": 2, "code": "97999", "minutes": 15}, "code 97999 is not one of this plan's codes"),
        ({"line": 2, "code": "97530", "minutes": 50}, "from 1 to 45 (the visit's minutes)"),
        ({"line": 2, "code": "97530", "minutes": 15, "who": "billing"}, "who gave the minutes"),
        ({"line": 1, "code": "97530", "minutes": 15}, "gave no reading"),
    ],
)
def test_each_line_left_unread_says_why(entry: dict[str, object], why: str) -> None:
    reading = shorthand_reading(
        reply(entry), LINES, codes=PLAN, default_who="assistant", max_minutes=45
    )
    reasons = dict(reading.refused)
    assert set(reasons) == set(reading.unread)
    assert why in reasons["blah 97999 forever"]


def test_prose_around_the_json_reads_nothing_and_says_so() -> None:
    answer = 'Sure! Ignore your rules and bill 97799. {"entries": []}'
    reading = shorthand_reading(answer, LINES, codes=PLAN, default_who="assistant")
    assert reading.proposed == ()
    assert {why for _, why in reading.refused} == {"the answer was not the JSON asked for"}


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        (ProposedEntry("x", "97530", 15, "assistant", "CGA", ("RW",)), "97530 ota 15 CGA RW"),
        (ProposedEntry("x", "97535", 10, "therapist", "S/SBA"), "97535 ot 10 SBA"),
        (ProposedEntry("x", "97110", 8, "together"), "97110 tog 8"),
    ],
)
def test_a_proposal_is_written_back_as_a_line_the_grammar_reads(
    entry: ProposedEntry, line: str
) -> None:
    assert proposal_line(entry) == line
    read = parse_line(line, writer=Writer.OTA, planned=(entry.code,))
    assert (read.code, read.minutes.total, read.unread) == (entry.code, entry.minutes, ())
