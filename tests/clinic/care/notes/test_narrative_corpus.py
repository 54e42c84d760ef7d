"""The drafted narrative over a generated corpus of notes: every intervention kind, assistance
level, device, home modification and room, and caregiver session, as the choice lists name
them. Each draft must read as written by a clinician: whole sentences, nothing said twice."""

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.clinic.care.models import Equipment, Independence, Modification, Room
from otclinic.domain.care.narrative import (
    CaregiverSession,
    EquipmentTrained,
    GoalMeasure,
    Intervention,
    NoteContent,
    Recommendation,
    draft_narrative,
)
from otclinic.domain.codes import InterventionCategory

RATIONALES = (
    "pt reaches for the towel rail for balance",
    "Pt has had two falls at night.",
    "reduce fall risk at tub transfers",
    "to allow safe entry with the walker",
    "patient trips on the rug edge",
    "",
)
TOPICS = ("safe tub transfers", "home exercise program.", "donning the orthosis")
PEOPLE = ("daughter", "Maria (spouse)", "home health aide")
MEASURES = (("grip strength", "kg"), ("Barthel Index", ""), ("9-hole peg test", "s"))

interventions = st.builds(
    Intervention,
    code=st.sampled_from(["97530", "97535", "97110", "97129", "97542"]),
    label=st.sampled_from([c.label for c in InterventionCategory]),
    minutes=st.integers(min_value=1, max_value=60),
)
goals = st.builds(
    lambda m, value: GoalMeasure(m[0], value, m[1], Decimal("18"), Decimal("30")),
    st.sampled_from(MEASURES),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
)
equipment = st.builds(
    EquipmentTrained,
    equipment=st.sampled_from([str(label) for label in Equipment.labels]),
    independence=st.sampled_from([str(label) for label in Independence.labels]),
    detail=st.sampled_from(["", "long handle", "switch access"]),
)
recommendations = st.builds(
    Recommendation,
    modification=st.sampled_from([str(label) for label in Modification.labels]),
    room=st.sampled_from([str(label) for label in Room.labels]),
    rationale=st.sampled_from(RATIONALES),
)
caregiver = st.builds(
    CaregiverSession,
    who=st.sampled_from(PEOPLE),
    topic=st.sampled_from(TOPICS),
    return_demonstration=st.booleans(),
    patient_present=st.booleans(),
)
notes = st.builds(
    NoteContent,
    interventions=st.lists(interventions, max_size=4).map(tuple),
    goals=st.lists(goals, max_size=3).map(tuple),
    equipment=st.lists(equipment, max_size=3).map(tuple),
    recommendations=st.lists(recommendations, max_size=3).map(tuple),
    caregiver=st.lists(caregiver, max_size=2).map(tuple),
)

EMPTY_CLAUSE = re.compile(r"\(\s*\)|\s[,.;:]|[,;:]\s*[,.;:]|\s{2}")
DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=\.)\s+(?=[A-Z0-9])", text) if text else []


@settings(max_examples=400, deadline=None)
@given(notes)
def test_every_drafted_sentence_is_whole_and_said_once(content: NoteContent) -> None:
    text = draft_narrative(content)
    parts = sentences(text)
    for sentence in parts:
        assert sentence[:1].isupper() or sentence[:1].isdigit(), sentence
        assert sentence.endswith("."), sentence
        assert not sentence.endswith(".."), sentence
    assert len(parts) == len(set(parts)), text
    assert not DOUBLED_WORD.search(text), text
    assert not EMPTY_CLAUSE.search(text), text
    assert not re.search(r"\bto pt\b", text, re.IGNORECASE), text
    assert "Patient response" not in text and "Plan for next visit" not in text


@given(recommendations)
def test_a_home_modification_never_reads_as_its_bare_choice_label(item: Recommendation) -> None:
    text = draft_narrative(NoteContent(recommendations=(item,)))
    assert not re.search(r"Recommended (other|remove)\b", text, re.IGNORECASE), text
    assert " in the other" not in text and " in the entry or stairs" not in text, text


@given(equipment)
def test_equipment_training_names_the_device_and_the_level_of_help(item: EquipmentTrained) -> None:
    text = draft_narrative(NoteContent(equipment=(item,)))
    assert text.startswith("Trained in use of ")
    assert item.independence.lower() in text.lower()
    assert "use of other with" not in text
