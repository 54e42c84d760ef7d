"""The demo's conditions: why its invented patients come to OT, with real ICD-10-CM codes.

Each condition carries its codes, ages, interventions and measurable goals; the descriptions of
the codes are kept here so that seeding does not load the whole code set (a test checks them
against simple-icd-10-cm).
"""

from dataclasses import dataclass, field

from otclinic.clinic.demo.catalog import (
    ACTIVITY,
    COGNITION,
    COGNITION_MORE,
    EQUIPMENT,
    EXERCISE,
    HOME_SAFETY,
    MANUAL,
    NEURO,
    ORTHOSIS,
    PARAFFIN,
    SELF_CARE,
    SENSORY,
    WHEELCHAIR,
    Intervention,
)
from otclinic.domain.codes import Discipline


@dataclass(frozen=True)
class GoalSpec:
    """A measurable goal: the measure, its unit, a baseline range and the expected change."""

    term: str
    description: str
    measure: str
    unit: str
    baseline: tuple[int, int]
    change: int  # negative where lower is better (QuickDASH, seconds)


@dataclass(frozen=True)
class Condition:
    """A reason people come to OT, with the codes, ages and care that go with it."""

    key: str
    weight: int
    primary_codes: tuple[str, ...]
    other_codes: tuple[str, ...]
    ages: tuple[int, int]
    interventions: tuple[Intervention, ...]
    goals: tuple[GoalSpec, ...]
    also: dict[Discipline, float] = field(default_factory=dict)
    caregiver_training: bool = False
    complexity: tuple[str, ...] = ("low", "moderate")


CONDITIONS = (
    Condition(
        "stroke",
        22,
        ("I69.351", "I69.354", "I69.331"),
        ("I69.311", "R26.89", "Z91.81", "I69.398"),
        (52, 89),
        (ACTIVITY, SELF_CARE, NEURO, EXERCISE, WHEELCHAIR, COGNITION, COGNITION_MORE),
        (
            GoalSpec(
                "long",
                "Dress upper body with modified independence",
                "Barthel Index",
                "points",
                (35, 60),
                25,
            ),
            GoalSpec(
                "short",
                "Improve grip of the affected hand for utensil use",
                "Grip strength, affected hand",
                "kg",
                (4, 12),
                8,
            ),
            GoalSpec(
                "short",
                "Improve gross manual dexterity",
                "Box and Block Test, affected hand",
                "blocks",
                (8, 25),
                15,
            ),
        ),
        {Discipline.SLP: 0.25, Discipline.PT: 0.15},
        caregiver_training=True,
        complexity=("moderate", "high"),
    ),
    Condition(
        "hip_fracture",
        12,
        ("S72.001D", "S72.002D", "S72.141D", "S72.142D"),
        ("Z91.81", "R26.89", "M62.81"),
        (66, 94),
        (EQUIPMENT, SELF_CARE, ACTIVITY, HOME_SAFETY),
        (
            GoalSpec(
                "long",
                "Lower-body dressing with a reacher and sock aid",
                "Lower-body dressing (FIM)",
                "level",
                (2, 4),
                3,
            ),
            GoalSpec("short", "Safe tub-bench transfer", "Tub transfer (FIM)", "level", (2, 4), 2),
        ),
        {Discipline.PT: 0.4},
    ),
    Condition(
        "wrist_fracture",
        12,
        ("S52.501D", "S52.502D", "S52.531D", "S62.101D", "S62.001D"),
        ("Z87.81",),
        (32, 86),
        (EXERCISE, MANUAL, ACTIVITY, ORTHOSIS, PARAFFIN),
        (
            GoalSpec(
                "long",
                "Return to household tasks without difficulty",
                "QuickDASH",
                "score",
                (45, 75),
                -35,
            ),
            GoalSpec(
                "short",
                "Improve grip for opening jars",
                "Grip strength, involved hand",
                "kg",
                (6, 14),
                12,
            ),
            GoalSpec(
                "short",
                "Improve active wrist extension",
                "Wrist extension AROM",
                "degrees",
                (20, 35),
                30,
            ),
        ),
    ),
    Condition(
        "shoulder",
        12,
        ("M75.101", "M75.111", "M75.121", "M75.01", "M75.41", "M75.102", "S46.011D"),
        ("M62.81",),
        (38, 82),
        (EXERCISE, MANUAL, ACTIVITY, SELF_CARE),
        (
            GoalSpec(
                "long",
                "Reach overhead shelves to put groceries away",
                "Shoulder flexion AROM",
                "degrees",
                (70, 100),
                55,
            ),
            GoalSpec(
                "short", "Reduce disability in daily arm use", "QuickDASH", "score", (45, 70), -30
            ),
        ),
    ),
    Condition(
        "carpal_tunnel",
        8,
        ("G56.01", "G56.02", "G56.03"),
        (),
        (28, 76),
        (EXERCISE, ORTHOSIS, SELF_CARE, ACTIVITY),
        (
            GoalSpec(
                "long",
                "Type for an hour without numbness",
                "Boston CTS symptom severity",
                "score",
                (3, 4),
                -2,
            ),
            GoalSpec("short", "Improve pinch strength", "Lateral pinch strength", "kg", (3, 6), 3),
        ),
        complexity=("low",),
    ),
    Condition(
        "parkinsons",
        8,
        ("G20.A1", "G20.A2"),
        ("R26.89", "Z91.81", "R27.8"),
        (58, 88),
        (ACTIVITY, SELF_CARE, NEURO, EQUIPMENT, HOME_SAFETY),
        (
            GoalSpec(
                "long",
                "Button a shirt within five minutes",
                "Nine-Hole Peg Test, dominant hand",
                "seconds",
                (35, 55),
                -12,
            ),
            GoalSpec(
                "short", "Feed self with adapted utensils", "Barthel Index", "points", (50, 70), 15
            ),
        ),
        {Discipline.SLP: 0.3, Discipline.PT: 0.3},
        complexity=("moderate", "high"),
    ),
    Condition(
        "development",
        14,
        ("F82", "F88", "F84.0", "R62.50", "F90.2"),
        ("R27.8",),
        (3, 12),
        (ACTIVITY, SENSORY, SELF_CARE, NEURO),
        (
            GoalSpec(
                "long",
                "Fasten buttons on school clothing",
                "Buttons fastened in one minute",
                "buttons",
                (0, 2),
                4,
            ),
            GoalSpec(
                "short",
                "Improve fine motor control for handwriting",
                "BOT-2 fine manual control",
                "scale score",
                (4, 8),
                4,
            ),
        ),
        {Discipline.SLP: 0.3},
        caregiver_training=True,
        complexity=("low", "moderate"),
    ),
    Condition(
        "osteoarthritis",
        8,
        ("M19.041", "M19.042", "M18.11", "M19.011"),
        (),
        (50, 86),
        (EXERCISE, PARAFFIN, ORTHOSIS, EQUIPMENT),
        (
            GoalSpec(
                "long",
                "Cook a simple meal with joint protection",
                "COPM performance",
                "score",
                (3, 5),
                3,
            ),
            GoalSpec("short", "Improve tip pinch", "Tip pinch strength", "kg", (2, 4), 2),
        ),
        complexity=("low",),
    ),
    Condition(
        "tendon",
        4,
        ("M65.331", "M65.4", "M77.11"),
        (),
        (30, 72),
        (EXERCISE, ORTHOSIS, MANUAL),
        (
            GoalSpec(
                "long",
                "Grip tools at work without pain",
                "Pain with gripping (NRS)",
                "0-10",
                (5, 8),
                -4,
            ),
        ),
        complexity=("low",),
    ),
    Condition(
        "cognition",
        4,
        ("F03.90",),
        ("R41.844", "Z91.81"),
        (68, 92),
        (COGNITION, COGNITION_MORE, SELF_CARE, HOME_SAFETY),
        (
            GoalSpec(
                "long",
                "Take medicines safely with a pill organizer",
                "Allen Cognitive Level Screen",
                "level",
                (3, 4),
                1,
            ),
        ),
        caregiver_training=True,
        complexity=("moderate",),
    ),
    Condition(
        "deconditioning",
        6,
        ("M62.81", "R53.1"),
        ("Z74.09", "Z91.81"),
        (60, 92),
        (EXERCISE, ACTIVITY, SELF_CARE, EQUIPMENT),
        (
            GoalSpec(
                "long",
                "Shower with a shower chair and set-up help only",
                "Barthel Index",
                "points",
                (45, 70),
                20,
            ),
        ),
        {Discipline.PT: 0.3},
    ),
)

# Codes that go with a second discipline's episode, added to the patient's problem list.
DISCIPLINE_CODES = {Discipline.SLP: ("R41.841", "R13.12"), Discipline.PT: ("R26.89",)}


DISCIPLINE_GOALS = {
    Discipline.PT: (
        GoalSpec(
            "long", "Walk in the community with a cane", "Timed Up and Go", "seconds", (18, 30), -8
        ),
    ),
    Discipline.SLP: (
        GoalSpec(
            "long",
            "Take thin liquids safely at meals",
            "Functional Oral Intake Scale",
            "level",
            (3, 5),
            2,
        ),
    ),
}


# Descriptions as the ICD-10-CM code set gives them (FY code set of simple-icd-10-cm), kept here
# so that seeding does not load the whole code set; a test checks both against it.
DIAGNOSES = {
    "F03.90": "Unspecified dementia, unspecified severity, without behavioral disturbance, psychotic disturbance, mood disturbance, and anxiety",
    "F82": "Specific developmental disorder of motor function",
    "F84.0": "Autistic disorder",
    "F88": "Other disorders of psychological development",
    "F90.2": "Attention-deficit hyperactivity disorder, combined type",
    "G20.A1": "Parkinson's disease without dyskinesia, without mention of fluctuations",
    "G20.A2": "Parkinson's disease without dyskinesia, with fluctuations",
    "G56.01": "Carpal tunnel syndrome, right upper limb",
    "G56.02": "Carpal tunnel syndrome, left upper limb",
    "G56.03": "Carpal tunnel syndrome, bilateral upper limbs",
    "I69.311": "Memory deficit following cerebral infarction",
    "I69.331": "Monoplegia of upper limb following cerebral infarction affecting right dominant side",
    "I69.351": "Hemiplegia and hemiparesis following cerebral infarction affecting right dominant side",
    "I69.354": "Hemiplegia and hemiparesis following cerebral infarction affecting left non-dominant side",
    "I69.398": "Other sequelae of cerebral infarction",
    "M18.11": "Unilateral primary osteoarthritis of first carpometacarpal joint, right hand",
    "M19.011": "Primary osteoarthritis, right shoulder",
    "M19.041": "Primary osteoarthritis, right hand",
    "M19.042": "Primary osteoarthritis, left hand",
    "M62.81": "Muscle weakness (generalized)",
    "M65.331": "Trigger finger, right middle finger",
    "M65.4": "Radial styloid tenosynovitis [de Quervain]",
    "M75.01": "Adhesive capsulitis of right shoulder",
    "M75.101": "Unspecified rotator cuff tear or rupture of right shoulder, not specified as traumatic",
    "M75.102": "Unspecified rotator cuff tear or rupture of left shoulder, not specified as traumatic",
    "M75.111": "Incomplete rotator cuff tear or rupture of right shoulder, not specified as traumatic",
    "M75.121": "Complete rotator cuff tear or rupture of right shoulder, not specified as traumatic",
    "M75.41": "Impingement syndrome of right shoulder",
    "M77.11": "Lateral epicondylitis, right elbow",
    "R13.12": "Dysphagia, oropharyngeal phase",
    "R26.89": "Other abnormalities of gait and mobility",
    "R27.8": "Other lack of coordination",
    "R41.841": "Cognitive communication deficit",
    "R41.844": "Frontal lobe and executive function deficit",
    "R53.1": "Weakness",
    "R62.50": "Unspecified lack of expected normal physiological development in childhood",
    "S46.011D": "Strain of muscle(s) and tendon(s) of the rotator cuff of right shoulder, subsequent encounter",
    "S52.501D": "Unspecified fracture of the lower end of right radius, subsequent encounter for closed fracture with routine healing",
    "S52.502D": "Unspecified fracture of the lower end of left radius, subsequent encounter for closed fracture with routine healing",
    "S52.531D": "Colles' fracture of right radius, subsequent encounter for closed fracture with routine healing",
    "S62.001D": "Unspecified fracture of navicular [scaphoid] bone of right wrist, subsequent encounter for fracture with routine healing",
    "S62.101D": "Fracture of unspecified carpal bone, right wrist, subsequent encounter for fracture with routine healing",
    "S72.001D": "Fracture of unspecified part of neck of right femur, subsequent encounter for closed fracture with routine healing",
    "S72.002D": "Fracture of unspecified part of neck of left femur, subsequent encounter for closed fracture with routine healing",
    "S72.141D": "Displaced intertrochanteric fracture of right femur, subsequent encounter for closed fracture with routine healing",
    "S72.142D": "Displaced intertrochanteric fracture of left femur, subsequent encounter for closed fracture with routine healing",
    "Z74.09": "Other reduced mobility",
    "Z87.81": "Personal history of (healed) traumatic fracture",
    "Z91.81": "History of falling",
}


def all_diagnosis_codes() -> set[str]:
    """Every ICD-10-CM code the demo can put on a patient's problem list."""
    codes = {c for cond in CONDITIONS for c in cond.primary_codes + cond.other_codes}
    return codes | {c for codes in DISCIPLINE_CODES.values() for c in codes}
