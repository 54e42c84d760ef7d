"""The narrative paragraph drafted from a note's structured entries, as tables."""

from decimal import Decimal

import pytest

from otclinic.domain.care.narrative import (
    CaregiverSession,
    EquipmentTrained,
    GoalMeasure,
    Intervention,
    NoteContent,
    Recommendation,
    draft_narrative,
    number,
)

ACTIVITY = Intervention("97530", "Therapeutic activity", 23)
ADL = Intervention("97535", "Self-care or ADL", 15)
COGNITIVE = Intervention("97129", "Cognitive", 10)
GRIP = GoalMeasure("grip strength", Decimal("22.50"), "kg", Decimal("18"), Decimal("30"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (NoteContent(), ""),
        (
            NoteContent(interventions=(ACTIVITY,)),
            "Treatment provided: therapeutic activity (97530, 23 min), 23 minutes in all.",
        ),
        (
            NoteContent(interventions=(ACTIVITY, ADL, COGNITIVE)),
            "Treatment provided: therapeutic activity (97530, 23 min), self-care or ADL "
            "(97535, 15 min) and cognitive intervention (97129, 10 min), 48 minutes in all.",
        ),
        (NoteContent(goals=(GRIP,)), "Grip strength measured at 22.5 kg (baseline 18, target 30)."),
        (
            NoteContent(goals=(GoalMeasure("Barthel Index", None),)),
            "Goal addressed: Barthel Index (no measure recorded).",
        ),
        (
            NoteContent(
                equipment=(
                    EquipmentTrained("Reacher", "Minimal assistance"),
                    EquipmentTrained(
                        "Tablet or computer access", "Supervision or set-up", "switch"
                    ),
                )
            ),
            "Trained in use of reacher with minimal assistance and tablet or computer access "
            "(switch) with supervision or set-up.",
        ),
        (
            NoteContent(
                recommendations=(
                    Recommendation("Grab bars", "Bathroom", "Reduce fall risk at the tub."),
                )
            ),
            "Recommended grab bars in the bathroom to reduce fall risk at the tub.",
        ),
        (
            NoteContent(caregiver=(CaregiverSession("daughter", "safe transfers", True, False),)),
            "Caregiver training with daughter on safe transfers; return demonstration completed; "
            "patient not present.",
        ),
        (
            NoteContent(
                recommendations=(
                    Recommendation("Grab bars", "Bathroom", "pt reaches for the towel rail."),
                )
            ),
            "Recommended grab bars in the bathroom; rationale: pt reaches for the towel rail.",
        ),
        (
            NoteContent(
                recommendations=(
                    Recommendation("Remove throw rugs", "Entry or stairs", "to prevent trips"),
                )
            ),
            "Recommended removing throw rugs at the entry or stairs to prevent trips.",
        ),
        (
            NoteContent(recommendations=(Recommendation("Other", "Other", ""),)),
            "Recommended a home modification.",
        ),
    ],
)
def test_the_draft_follows_the_entries(content: NoteContent, expected: str) -> None:
    assert draft_narrative(content) == expected


def test_sections_come_in_a_fixed_order() -> None:
    text = draft_narrative(
        NoteContent(
            interventions=(ADL,),
            goals=(GoalMeasure("grip strength", Decimal("20"), "kg"),),
            caregiver=(CaregiverSession("spouse", "bathing", False, True),),
        )
    )
    order = ["Treatment provided", "Grip strength", "Caregiver training"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "return demonstration not yet completed; patient present" in text


@pytest.mark.parametrize(
    ("value", "text"), [("22.00", "22"), ("22.50", "22.5"), ("0.25", "0.25"), ("100", "100")]
)
def test_measures_are_written_without_trailing_zeros(value: str, text: str) -> None:
    assert number(Decimal(value)) == text


def test_the_same_entry_twice_is_written_once() -> None:
    twice = Recommendation("Grab bars", "Bathroom", "reduce fall risk")
    text = draft_narrative(NoteContent(recommendations=(twice, twice)))
    assert text == "Recommended grab bars in the bathroom to reduce fall risk."


def test_doubled_words_and_stray_full_stops_in_typed_text_are_tidied() -> None:
    session = CaregiverSession("the the daughter", "safe  transfers..", True, True)
    text = draft_narrative(NoteContent(caregiver=(session,)))
    assert text == (
        "Caregiver training with the daughter on safe transfers; return demonstration "
        "completed; patient present."
    )
