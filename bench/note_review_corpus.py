"""A corpus of treatment notes for the review before signing: clean notes and notes with one
seeded defect each, made from a seed (the same seed gives the same corpus).

How it is made: each note is composed from vocabularies of OT interventions, skilled inputs,
assistance levels and patient responses the way clinicians write them (sentences in varied
order, abbreviations, minutes per intervention), with its history: the same patient's earlier
notes (composed the same way from the same patient's activities) and the author's notes for
other patients. A defective note is a clean one with one thing changed: the skilled input
dropped ("tolerated well" only), the response removed, a goal measured no better than last time,
a measure falling well below the last, minutes in the narrative that are not coded, the words
copied from an earlier note with a small edit, a planned intervention never delivered, or a goal
left unaddressed for the window.

Two parts: `tune` (seed 17) is what the rule file's words and figures were checked against;
`held` (seed 20261203) is kept aside and was never used to change a word or a figure.
"""

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from otclinic.domain.care.review import (
    ActiveGoal,
    CodedLine,
    EarlierNote,
    GoalAddressed,
    NoteUnderReview,
    Visit,
)

SEEDS = {"tune": 17, "held": 20261203}
DEFECTS = (
    "note_review.skilled_language",
    "note_review.patient_response",
    "note_review.goal_progress",
    "note_review.measure_contradicts",
    "note_review.minutes_mismatch",
    "note_review.cloned",
    "note_review.plan_not_delivered",
    "note_review.goal_not_addressed",
)
DAY = dt.date(2026, 12, 3)

ACTIVITIES = [
    ("97530", "ther act", "standing tolerance at the kitchen counter"),
    ("97530", "ther act", "reaching into upper cabinets for light items"),
    ("97530", "ther act", "simulated grocery put-away with a rolling cart"),
    ("97530", "ther act", "bed mobility and supine to sit at the edge of bed"),
    ("97535", "ADL", "lower body dressing seated in a chair"),
    ("97535", "ADL", "grooming at the sink in standing"),
    ("97535", "self-care", "toilet transfers with the grab bar"),
    ("97535", "ADL", "tub transfer with the transfer bench"),
    ("97535", "IADL", "light meal preparation at the stove"),
    ("97110", "ther ex", "theraband shoulder flexion and rows"),
    ("97110", "ther ex", "putty grip strengthening for the right hand"),
    ("97110", "ther ex", "wrist curls with a 1 lb weight"),
    ("97112", "NMR", "weight shifting and dynamic balance in standing"),
    ("97112", "NMR", "fine motor coordination with pegs and buttons"),
    ("97542", "w/c mgmt", "wheelchair parts management and brakes"),
    ("97760", "orthotic", "resting hand splint wear schedule and skin checks"),
]
SKILLED = [
    "verbal cues for sequencing",
    "tactile cues for hand placement",
    "graded the task by raising the surface",
    "instructed in energy conservation",
    "educated on joint protection techniques",
    "facilitated weight shift to the left",
    "adapted the set-up with a reacher",
    "modified the task to seated for safety",
    "demonstrated the technique before each trial",
    "trained in safe hand placement",
    "progressed resistance to the next band",
    "analyzed the sequence and broke it into steps",
]
LEVELS = ["min A", "mod A", "CGA", "SBA", "supervision", "mod I"]
RESPONSES = [
    "Pt reported less shoulder pain than last visit.",
    "Pt verbalized understanding and was able to repeat the steps.",
    "Pt required two seated rests for fatigue.",
    "Pt was able to complete the task with fewer cues.",
    "Pt responded well to the change of height and needed less help.",
    "Pt reported that dressing at home is easier with the sock aid.",
    "Pt unable to finish the last trial due to fatigue.",
    "Caregiver gave a return demonstration with no cues.",
]
ASSESSMENTS = [
    "Standing tolerance improving toward goal.",
    "Safety awareness improving; continue to grade the demand.",
    "Carryover of strategies noted from the home program.",
    "Needs continued skilled instruction to carry over safe technique.",
    "Grip strength gains support moving to the next level of resistance.",
    "Balance reactions slower on the left; will address next visit.",
]
OPENERS = ["Pt seen for", "Session focused on", "Treatment addressed", "Worked on", "Pt engaged in"]
MEASURES = [
    ("grip strength", "kg", 14, 30),
    ("standing tolerance", "min", 2, 10),
    ("Barthel Index", "", 55, 90),
    ("nine-hole peg", "s", 45, 25),
    ("COPM performance", "score", 3, 8),
]


@dataclass(frozen=True)
class Case:
    note: NoteUnderReview
    defect: str | None  # the rule id the seeded defect should raise; None for a clean note


def _sentence(rng: random.Random, activity: tuple[str, str, str], minutes: int) -> str:
    _, short, what = activity
    level = rng.choice(LEVELS)
    skilled = rng.choice(SKILLED)
    forms = [
        f"{rng.choice(OPENERS)} {what} ({short}, {minutes} min) at {level}; {skilled}.",
        f"{short.capitalize()} {minutes} min: {what}, {skilled}, {level}.",
        f"{what.capitalize()} for {minutes} minutes with {skilled}; performed at {level}.",
    ]
    return rng.choice(forms)


def _visit_text(rng: random.Random, activities: list[tuple[str, str, str]]) -> tuple[str, ...]:
    chosen = rng.sample(activities, k=min(len(activities), rng.randint(2, 3)))
    minutes = [rng.choice([8, 10, 12, 15, 18, 20, 23, 25]) for _ in chosen]
    narrative = " ".join(_sentence(rng, a, m) for a, m in zip(chosen, minutes, strict=True))
    response = " ".join(rng.sample(RESPONSES, k=rng.randint(1, 2)))
    coded = (f"{a[0]}:{m}" for a, m in zip(chosen, minutes, strict=True))
    return narrative, response, rng.choice(ASSESSMENTS), *coded


def _patient(rng: random.Random) -> list[tuple[str, str, str]]:
    return rng.sample(ACTIVITIES, k=6)


def clean_case(rng: random.Random) -> Case:
    activities = _patient(rng)
    narrative, response, assessment, *coded = _visit_text(rng, activities)
    lines = tuple(CodedLine(c.split(":")[0], assistant_minutes=int(c.split(":")[1])) for c in coded)
    measure, unit, baseline, target = rng.choice(MEASURES)
    up = target > baseline
    last = baseline + (target - baseline) * rng.uniform(0.1, 0.6)
    value = last + (1 if up else -1) * rng.uniform(0.5, 2.5)
    goal = GoalAddressed(
        "g1",
        measure,
        Decimal(f"{value:.1f}"),
        Decimal(baseline),
        Decimal(target),
        unit,
        last_value=Decimal(f"{last:.1f}"),
    )
    codes = tuple(dict.fromkeys(line.code for line in lines))
    visits_count = rng.randint(0, 8)
    visits = tuple(
        Visit(frozenset({"g1", "g2"}) if i % 2 == 0 else frozenset({"g1"}), frozenset(codes))
        for i in range(visits_count)
    )
    earlier = []
    for back in range(rng.randint(1, 6)):
        text = " ".join(_visit_text(rng, activities)[:3])
        earlier.append(EarlierNote(DAY - dt.timedelta(days=2 + 2 * back), text, True))
    for back in range(rng.randint(0, 8)):
        text = " ".join(_visit_text(rng, _patient(rng))[:3])
        earlier.append(EarlierNote(DAY - dt.timedelta(days=1 + back), text, False))
    goals = (goal,)
    if visits_count >= 4:
        goals = (*goals, replace(goal, goal_id="g2", measure="LB dressing"))
    return Case(
        NoteUnderReview(
            narrative=narrative,
            patient_response=response,
            assessment=assessment,
            lines=lines,
            goals=goals,
            active_goals=(ActiveGoal("g1", measure), ActiveGoal("g2", "LB dressing")),
            planned_codes=codes,
            earlier_visits=visits,
            earlier_notes=tuple(earlier),
        ),
        None,
    )


def seed_defect(rng: random.Random, case: Case, defect: str) -> Case:
    note = case.note
    goal = note.goals[0]
    if defect == "note_review.skilled_language":
        text = " ".join(f"{line.code} {line.minutes} min." for line in note.lines)
        note = replace(note, narrative=f"{text} Pt tolerated well.", assessment="Continue POC.")
    elif defect == "note_review.patient_response":
        # The narrative's sentences name what was done, not how the patient responded.
        note = replace(note, patient_response="")
    elif defect == "note_review.goal_progress":
        note = replace(note, goals=(replace(goal, value=goal.last_value), *note.goals[1:]))
    elif defect == "note_review.measure_contradicts":
        assert goal.last_value is not None
        span = goal.target - goal.baseline
        fallen = goal.last_value - span * Decimal(rng.choice(["0.4", "0.5", "0.6"]))
        note = replace(note, goals=(replace(goal, value=fallen), *note.goals[1:]))
    elif defect == "note_review.minutes_mismatch":
        line = note.lines[0]
        wrong = line.minutes + rng.choice([5, 7, 10])
        stated = note.narrative.replace(f"{line.minutes} min", f"{wrong} min", 1)
        note = replace(note, narrative=stated)
    elif defect == "note_review.cloned":
        note = _cloned(rng, note)
    elif defect == "note_review.plan_not_delivered":
        given = frozenset(line.code for line in note.lines)
        extra = rng.choice([a[0] for a in ACTIVITIES if a[0] not in given])
        visits = tuple(Visit(frozenset({"g1", "g2"}), given) for _ in range(rng.randint(5, 9)))
        note = replace(note, planned_codes=(*sorted(given), extra), earlier_visits=visits)
    elif defect == "note_review.goal_not_addressed":
        codes = frozenset(note.planned_codes)
        visits = tuple(Visit(frozenset({"g1"}), codes) for _ in range(rng.randint(4, 9)))
        note = replace(note, earlier_visits=visits, goals=note.goals[:1])
    return Case(note, defect)


def _cloned(rng: random.Random, note: NoteUnderReview) -> NoteUnderReview:
    source = rng.choice(note.earlier_notes)
    words = source.text.split()
    # A copy with a small edit: one number or one word changed, as a hurried clinician would.
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        words[i] = str(rng.randint(5, 25)) if words[i].isdigit() else words[i]
    return replace(note, narrative=" ".join(words), patient_response="", assessment="")


def make_corpus(part: str, *, clean: int = 200, per_defect: int = 25) -> list[Case]:
    rng = random.Random(SEEDS[part])
    cases = [clean_case(rng) for _ in range(clean)]
    for defect in DEFECTS:
        cases += [seed_defect(rng, clean_case(rng), defect) for _ in range(per_defect)]
    return cases
