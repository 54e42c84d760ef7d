"""The review before signing: each finding fires on its defect and not on a clean note."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from otclinic.domain.care.review import (
    ActiveGoal,
    CodedLine,
    EarlierNote,
    GoalAddressed,
    NoteUnderReview,
    Visit,
    review_note,
    with_policy,
)
from otclinic.domain.compliance.findings import Severity
from tests.clock import TODAY

CLEAN = NoteUnderReview(
    narrative=(
        "Ther act 15 min: graded standing tolerance at the kitchen counter with RW, verbal cues "
        "for posture. ADL LB dressing 10 min with sock aid; instructed in energy conservation."
    ),
    patient_response="Pt reported less fatigue; donned socks with sock aid after 2 trials.",
    assessment="Standing tolerance improving; continue grading time at counter.",
    lines=(CodedLine("97530", assistant_minutes=15), CodedLine("97535", assistant_minutes=10)),
    goals=(
        GoalAddressed(
            "g1",
            "standing tolerance",
            Decimal(6),
            Decimal(2),
            Decimal(10),
            "min",
            last_value=Decimal(5),
        ),
    ),
    active_goals=(ActiveGoal("g1", "standing tolerance"), ActiveGoal("g2", "LB dressing")),
    planned_codes=("97530", "97535"),
    earlier_visits=(Visit(frozenset({"g2"}), frozenset({"97535"})),),
    earlier_notes=(
        EarlierNote(
            TODAY - dt.timedelta(days=2),
            "Pt seen for UE strengthening with theraband, "
            "3x10 reps, cued for scapular retraction; reported shoulder ache.",
            True,
        ),
    ),
)


def ids(note: NoteUnderReview) -> list[str]:
    return [f.rule_id for f in review_note(note)]


def test_a_clean_note_raises_nothing() -> None:
    assert ids(CLEAN) == []


@pytest.mark.parametrize(
    ("change", "rule_id"),
    [
        (
            {"narrative": "Pt tolerated well. 97530 15 min, 97535 10 min.", "assessment": ""},
            "note_review.skilled_language",
        ),
        (
            {"patient_response": "", "narrative": "Graded standing with cues, 15 min."},
            "note_review.patient_response",
        ),
        (
            {"narrative": CLEAN.narrative.replace("15 min", "20 min")},
            "note_review.minutes_mismatch",
        ),
    ],
)
def test_each_text_finding_fires_on_its_defect(change: dict[str, str], rule_id: str) -> None:
    assert rule_id in ids(replace(CLEAN, **change))


def test_only_tolerated_well_is_named_in_the_message() -> None:
    note = replace(CLEAN, narrative="Tolerated well.", assessment="")
    (finding,) = [f for f in review_note(note) if f.rule_id == "note_review.skilled_language"]
    assert "only that the patient tolerated it" in finding.message
    assert "BPM Pub. 100-02 ch. 15 sec. 220.3" in finding.citation


def test_rest_breaks_and_repetitions_are_not_treatment_minutes() -> None:
    note = replace(CLEAN, narrative=CLEAN.narrative + " Required 2 min rest breaks; 3x2 min holds.")
    assert "note_review.minutes_mismatch" not in ids(note)


def test_a_goal_measured_no_better_than_last_time_without_comment_shows_no_progress() -> None:
    goal = replace(CLEAN.goals[0], value=Decimal(5))
    assert ids(replace(CLEAN, goals=(goal,))) == ["note_review.goal_progress"]
    commented = replace(goal, comment="Pt had a poor night; rescheduled standing trials")
    assert ids(replace(CLEAN, goals=(commented,))) == []


def test_a_measure_falling_well_below_the_last_contradicts_it_unless_explained() -> None:
    goal = replace(CLEAN.goals[0], value=Decimal(2))
    assert ids(replace(CLEAN, goals=(goal,))) == ["note_review.measure_contradicts"]
    explained = replace(CLEAN, goals=(goal,), changes_in_condition="New back pain since Tuesday")
    assert ids(explained) == []


def test_a_goal_reached_from_above_counts_as_progress() -> None:
    peg = GoalAddressed(
        "g1", "nine-hole peg", Decimal(30), Decimal(40), Decimal(25), "s", last_value=Decimal(33)
    )
    assert ids(replace(CLEAN, goals=(peg,))) == []


def test_an_assistance_level_in_the_narrative_against_the_goal_measure_is_raised() -> None:
    toilet = GoalAddressed(
        "g1", "toilet transfer", Decimal(4), Decimal(3), Decimal(8), "assist", last_value=Decimal(3)
    )
    agreeing = replace(
        CLEAN, goals=(toilet,), narrative=CLEAN.narrative + " Toilet transfer min A."
    )
    assert ids(agreeing) == []
    against = replace(agreeing, narrative=CLEAN.narrative + " Toilet transfer max A.")
    assert ids(against) == ["note_review.measure_contradicts"]


def test_a_narrative_copied_from_the_patients_last_note_is_cloned() -> None:
    earlier = EarlierNote(TODAY - dt.timedelta(days=2), CLEAN.own_words, same_patient=True)
    (finding,) = review_note(replace(CLEAN, earlier_notes=(earlier,)))
    assert finding.rule_id == "note_review.cloned"
    assert "this patient's note of" in finding.message


def test_a_narrative_copied_from_another_patient_names_no_one() -> None:
    text = CLEAN.own_words.replace("kitchen counter", "bathroom sink")
    earlier = EarlierNote(TODAY - dt.timedelta(days=9), text, same_patient=False)
    (finding,) = review_note(replace(CLEAN, earlier_notes=(earlier,)))
    assert "your note for another patient" in finding.message


def test_a_planned_intervention_never_delivered_after_six_visits_is_named() -> None:
    visits = tuple(Visit(frozenset({"g1", "g2"}), frozenset({"97530"})) for _ in range(5))
    note = replace(CLEAN, planned_codes=("97530", "97535", "97110"), earlier_visits=visits)
    (finding,) = review_note(note)
    assert finding.rule_id == "note_review.plan_not_delivered"
    assert "97110" in finding.message and "97535" not in finding.message


def test_a_goal_not_addressed_for_five_visits_is_named() -> None:
    visits = tuple(Visit(frozenset({"g1"}), frozenset({"97530", "97535"})) for _ in range(4))
    (finding,) = review_note(replace(CLEAN, earlier_visits=visits))
    assert finding.rule_id == "note_review.goal_not_addressed"
    assert "LB dressing" in finding.message


def test_the_clinic_policy_turns_its_blocking_rules_into_errors() -> None:
    note = replace(CLEAN, narrative="Tolerated well. 40 min.", assessment="", patient_response="")
    findings = with_policy(review_note(note), blocking=frozenset({"note_review.minutes_mismatch"}))
    severities = {f.rule_id: f.severity for f in findings}
    assert severities["note_review.minutes_mismatch"] is Severity.ERROR
    assert severities["note_review.skilled_language"] is Severity.WARNING
