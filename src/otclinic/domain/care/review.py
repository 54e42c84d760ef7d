"""The review of a treatment note before it is signed: what a medical reviewer would raise.

Deterministic and pure: it reads a plain description of the note and of its history
(`NoteUnderReview`) and returns findings, each citing its source (`rules/note_review.yaml`)
and saying how to fix it. It never changes the note. Every finding is a warning here; the
clinic decides which of them block signing (`with_policy`).

The checks (BPM Pub. 100-02 ch. 15 sec. 220.3 for the content of a treatment note):
- no words of a skilled service (only "tolerated well"); no patient response;
- a goal the visit addressed shows no progress since its last measure, without a comment;
- a measure or an assistance level that goes against the goal's last measure, without comment;
- minutes written in the narrative that are not the minutes coded;
- cloned documentation: the note's words too similar to the patient's earlier notes or to the
  author's notes for other patients (RapidFuzz, the threshold in the rule file);
- an intervention of the plan never delivered after several visits; a goal not addressed for
  several visits.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from rapidfuzz import fuzz, process

from otclinic.domain.care.goals import higher_is_better
from otclinic.domain.care.narrative import number
from otclinic.domain.care.review_rules import ReviewRules, review_rules
from otclinic.domain.compliance.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class CodedLine:
    """An intervention line: its code and the minutes of each who furnished it."""

    code: str
    therapist_minutes: int = 0
    assistant_minutes: int = 0
    together_minutes: int = 0

    @property
    def minutes(self) -> int:
        return self.therapist_minutes + self.assistant_minutes + self.together_minutes


@dataclass(frozen=True, slots=True)
class GoalAddressed:
    """A goal measured on this note, with its last measure before it (None: never measured)."""

    goal_id: str
    measure: str
    value: Decimal | None
    baseline: Decimal
    target: Decimal
    unit: str = ""
    last_value: Decimal | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ActiveGoal:
    goal_id: str
    measure: str


@dataclass(frozen=True, slots=True)
class Visit:
    """An earlier visit under the same plan: the goals it addressed and the codes it gave."""

    goal_ids: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EarlierNote:
    """An earlier note's words, for the cloned-documentation check (no name or id is shown)."""

    day: date
    text: str
    same_patient: bool


@dataclass(frozen=True, slots=True)
class NoteUnderReview:
    """What the review reads: the note's sections, entries and its history (newest first)."""

    narrative: str = ""
    subjective: str = ""
    patient_response: str = ""
    changes_in_condition: str = ""
    assessment: str = ""
    plan_next_visit: str = ""
    lines: tuple[CodedLine, ...] = ()
    goals: tuple[GoalAddressed, ...] = ()
    active_goals: tuple[ActiveGoal, ...] = ()
    planned_codes: tuple[str, ...] = ()
    earlier_visits: tuple[Visit, ...] = ()
    earlier_notes: tuple[EarlierNote, ...] = ()

    @property
    def own_words(self) -> str:
        """The sections a clinician writes, as one text (what the clone check compares)."""
        parts = (self.subjective, self.narrative, self.patient_response, self.assessment)
        return " ".join(p for p in parts if p.strip())


def review_note(note: NoteUnderReview, rules: ReviewRules | None = None) -> tuple[Finding, ...]:
    """Every finding of the review, as warnings, in the order of `review_rules.CHECKS`."""
    rules = rules or review_rules()
    return (
        *skilled_language(note, rules),
        *patient_response(note, rules),
        *goal_measures(note, rules),
        *minutes_mismatch(note, rules),
        *cloned(note, rules),
        *plan_not_delivered(note, rules),
        *goal_not_addressed(note, rules),
    )


def with_policy(findings: Iterable[Finding], *, blocking: frozenset[str]) -> tuple[Finding, ...]:
    """The findings with the clinic's choice applied: those of a blocking rule become errors."""
    return tuple(
        replace(f, severity=Severity.ERROR) if f.rule_id in blocking else f for f in findings
    )


def _finding(rules: ReviewRules, check: str, message: str) -> Finding:
    source = rules.source(check)
    return Finding(
        rule_id=source.rule_id,
        severity=Severity.WARNING,
        message=message,
        citation=source.citation,
    )


def _has_any(text: str, phrases: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", lowered) for p in phrases)


# ----- skilled service and the patient's response ---------------------------------------------


def skilled_language(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    text = f"{note.narrative} {note.assessment}"
    if _has_any(text, rules.skilled_words):
        return []
    only = (
        " (it says only that the patient tolerated it)"
        if _has_any(text, rules.empty_phrases)
        else ""
    )
    return [
        _finding(
            rules,
            "skilled_language",
            f"The note does not say what you did that needed a therapist's skill{only}: "
            "describe the cues, instruction, grading or adaptation you gave and why.",
        )
    ]


def patient_response(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    if note.patient_response.strip():
        return []
    if _has_any(f"{note.narrative} {note.assessment}", rules.response_phrases):
        return []
    return [
        _finding(
            rules,
            "patient_response",
            "The note does not say how the patient responded to treatment: fill in the "
            "patient's response (what they did, reported or could not do).",
        )
    ]


# ----- goals: progress and contradictions -----------------------------------------------------


def goal_measures(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    """No progress on a goal addressed, or a measure against the last one, without comment."""
    found: list[Finding] = []
    explained = bool(note.changes_in_condition.strip())
    for goal in note.goals:
        if goal.value is None or goal.comment.strip():
            continue
        found += _assistance_contradiction(note, goal, rules)
        reference = goal.last_value if goal.last_value is not None else goal.baseline
        change = goal.value - reference
        if not higher_is_better(goal.baseline, goal.target):
            change = -change
        if change > 0 or _reached(goal):
            continue
        span = abs(goal.target - goal.baseline) or Decimal(1)
        if -change <= span * rules.tolerance_share:
            found.append(_no_progress(rules, goal, reference))
        elif not explained:
            found.append(_against_last(rules, goal, reference))
    return found


def _reached(goal: GoalAddressed) -> bool:
    assert goal.value is not None
    if higher_is_better(goal.baseline, goal.target):
        return goal.value >= goal.target
    return goal.value <= goal.target


def _no_progress(rules: ReviewRules, goal: GoalAddressed, reference: Decimal) -> Finding:
    last = "last measure" if goal.last_value is not None else "baseline"
    return _finding(
        rules,
        "goal_progress",
        f"'{goal.measure}' is {number(goal.value or reference)}, no better than its {last} "
        f"({number(reference)}): say in the goal's comment why, and what you will change.",
    )


def _against_last(rules: ReviewRules, goal: GoalAddressed, reference: Decimal) -> Finding:
    return _finding(
        rules,
        "measure_contradicts",
        f"'{goal.measure}' fell to {number(goal.value or reference)} from "
        f"{number(reference)} at the last measure: check the figure, or comment on what changed.",
    )


def _assistance_contradiction(
    note: NoteUnderReview, goal: GoalAddressed, rules: ReviewRules
) -> list[Finding]:
    """An assistance goal measured at one level while the narrative names only other levels."""
    if goal.unit.strip().lower() not in rules.assistance_units or goal.value is None:
        return []
    written = _levels_in(note.narrative, rules)
    if not written or int(goal.value) in written.values():
        return []
    level = ", ".join(sorted(written))
    return [
        _finding(
            rules,
            "measure_contradicts",
            f"The narrative says {level} but '{goal.measure}' is recorded at level "
            f"{number(goal.value)}: make them agree, or comment on the difference.",
        )
    ]


def _levels_in(text: str, rules: ReviewRules) -> dict[str, int]:
    lowered = f" {text.lower()} "
    found: dict[str, int] = {}
    # Longest first, so that "mod i" is not also read as "independent"'s neighbour "i".
    for word in sorted(rules.assistance_levels, key=len, reverse=True):
        pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
        if re.search(pattern, lowered):
            found[word] = rules.assistance_levels[word]
            lowered = re.sub(pattern, " ", lowered)
    return found


# ----- minutes --------------------------------------------------------------------------------

_MINUTES = re.compile(
    r"(?<![\w.])(x\s*|every\s+)?(\d{1,3})\s*(?:-\s*)?(?:minutes?|mins?)\b(\W+\w+)?"
)


def minutes_mismatch(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    coded = _coded_minutes(note.lines)
    stated = []
    for prefix, amount, after in _MINUTES.findall(note.narrative.lower()):
        if prefix or after.strip(" ,;:.()").strip() in rules.not_treatment_time:
            continue
        stated.append(int(amount))
    wrong = [m for m in dict.fromkeys(stated) if m not in coded]
    if not wrong or not note.lines:
        return []
    total = sum(line.minutes for line in note.lines)
    said = ", ".join(f"{m} minutes" for m in wrong)
    return [
        _finding(
            rules,
            "minutes_mismatch",
            f"The narrative says {said}, but the coded minutes are "
            f"{_lines_in_words(note.lines)} ({total} in all): correct the narrative or the "
            "minutes so that they agree.",
        )
    ]


def _coded_minutes(lines: tuple[CodedLine, ...]) -> set[int]:
    """Every figure the narrative may truthfully state: per line, per person, and the totals."""
    figures = {sum(line.minutes for line in lines)}
    for line in lines:
        figures.update(
            {line.minutes, line.therapist_minutes, line.assistant_minutes, line.together_minutes}
        )
    return figures - {0}


def _lines_in_words(lines: tuple[CodedLine, ...]) -> str:
    return ", ".join(f"{line.code} {line.minutes}" for line in lines)


# ----- cloned documentation -------------------------------------------------------------------


def normalised(text: str) -> str:
    """Lower case, words only, single spaces: what the similarity is computed on."""
    return " ".join(re.findall(r"[\w']+", text.lower()))


def similarity(first: str, second: str) -> float:
    """How alike two notes' words are, 0-100 (word order ignored)."""
    return float(fuzz.token_sort_ratio(normalised(first), normalised(second)))


def cloned(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    own = normalised(note.own_words)
    if len(own) < rules.clone_min_chars:
        return []
    candidates = [e for e in note.earlier_notes if len(e.text) >= rules.clone_min_chars]
    best = process.extractOne(
        own,
        [normalised(e.text) for e in candidates],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=rules.clone_threshold,
    )
    if best is None:
        return []
    _, score, index = best
    earlier = candidates[index]
    whose = "this patient's note" if earlier.same_patient else "your note for another patient"
    return [
        _finding(
            rules,
            "cloned",
            f"The note's words are {round(score)}% the same as {whose} of "
            f"{earlier.day.isoformat()}: write what happened at this visit (the patient's "
            "performance, your skilled input and their response today).",
        )
    ]


# ----- the plan over several visits -----------------------------------------------------------


def plan_not_delivered(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    visits = 1 + len(note.earlier_visits)
    if visits < rules.plan_after_visits:
        return []
    given = {line.code for line in note.lines}
    for visit in note.earlier_visits:
        given |= visit.codes
    missing = [code for code in dict.fromkeys(note.planned_codes) if code not in given]
    if not missing:
        return []
    return [
        _finding(
            rules,
            "plan_not_delivered",
            f"The plan calls for {', '.join(missing)}, not delivered in {visits} visits: "
            "deliver it, or revise the plan of care.",
        )
    ]


def goal_not_addressed(note: NoteUnderReview, rules: ReviewRules) -> list[Finding]:
    window = rules.goal_visits
    if 1 + len(note.earlier_visits) < window:
        return []
    addressed = {goal.goal_id for goal in note.goals}
    for visit in note.earlier_visits[: window - 1]:
        addressed |= visit.goal_ids
    return [
        _finding(
            rules,
            "goal_not_addressed",
            f"The goal '{goal.measure}' has not been addressed in the last {window} visits: "
            "address it, or revise or discontinue it in the plan of care.",
        )
        for goal in note.active_goals
        if goal.goal_id not in addressed
    ]
