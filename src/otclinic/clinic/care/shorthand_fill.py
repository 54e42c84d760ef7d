"""The daily note's rows from clinician shorthand: the parser's facts as the note's form rows.

Nothing is saved here: the rows are added to what the form already holds, the page shows them,
and the clinician saves or signs as always. What the parser could not read is shown highlighted
and kept in the shorthand box.
"""

from dataclasses import dataclass
from typing import Any

from otclinic.clinic.care.models import Goal, TreatmentNote
from otclinic.domain.care.shorthand import ShorthandLine, Writer, parse_lines
from otclinic.domain.care.shorthand.goals import GoalRef, goal_measure
from otclinic.domain.codes import Role

# Caregiver training billed with these codes is furnished without the patient.
WITHOUT_PATIENT = {"97550", "97551", "97552"}
LEVEL_WORDS = {
    "independent": "Independent",
    "modified_independent": "Modified independent",
    "supervision": "Supervision",
    "standby": "Stand-by assistance",
    "contact_guard": "Contact guard",
    "min_assist": "Minimal assistance",
    "mod_assist": "Moderate assistance",
    "max_assist": "Maximal assistance",
    "dependent": "Dependent",
}


@dataclass(frozen=True)
class Segment:
    text: str
    unread: bool


@dataclass(frozen=True)
class Filled:
    """The rows to add by section, the lines with unread words (in segments), and what is
    left for the shorthand box."""

    rows: dict[str, list[dict[str, Any]]]
    unread_lines: list[list[Segment]]
    remaining: str
    line_count: int


def writer_of(role: str) -> Writer:
    return Writer.OTA if Role(role).is_assistant else Writer.OT


def fill_from_shorthand(*, note: TreatmentNote, text: str, planned: list[str]) -> Filled:
    """Read the lines as the note's author wrote them; the rows they give, section by section."""
    lines = parse_lines(text, writer=writer_of(note.author.user.role), planned=tuple(planned))
    goals = [
        GoalRef(str(g.pk), g.measure, g.description, g.unit)
        for g in Goal.objects.filter(plan__episode=note.episode).order_by("position")
    ]
    rows: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("lines", "goals", "equipment", "environment", "caregiver")
    }
    for line in lines:
        if line.code:  # a line that names no intervention fills nothing and stays in the box
            _add_rows(rows, line, goals)
    unread = [line for line in lines if line.unread or line.code is None]
    return Filled(
        rows=rows,
        unread_lines=[_segments(line) for line in unread],
        remaining="\n".join(_left(line) for line in unread),
        line_count=len(lines),
    )


def _add_rows(
    rows: dict[str, list[dict[str, Any]]], line: ShorthandLine, goals: list[GoalRef]
) -> None:
    if line.code:  # always, for the caller; kept for a reader of this function alone
        rows["lines"].append(
            {
                "code": line.code,
                "more_code": "",
                "category": line.category or "other",
                "assistant_minutes": line.minutes.assistant,
                "therapist_minutes": line.minutes.therapist,
                "together_minutes": line.minutes.together,
                "separate_time_block": False,
            }
        )
    measured = goal_measure(line, goals)
    if measured is not None:
        comment = f"{LEVEL_WORDS[measured.assist_level]}: {line.activity}"[:255]
        rows["goals"].append({"goal": measured.key, "value": measured.value, "comment": comment})
    # A caregiver session's device is part of what the caregiver learnt (its topic), not
    # equipment the patient was trained on at a level of independence.
    for device in line.devices if line.caregiver is None else ():
        detail = line.activity or device.text
        rows["equipment"].append(
            {
                "equipment": device.equipment,
                "independence": line.assist_level or "",
                "detail": detail[:200],
            }
        )
    for change in line.modifications:
        rows["environment"].append(
            {"modification": change.modification, "room": change.room, "rationale": line.text[:300]}
        )
    if line.caregiver is not None:
        rows["caregiver"].append(
            {
                "caregiver_name": line.caregiver.who.capitalize(),
                "topic": (line.caregiver.topic or line.activity or line.text)[:200],
                "return_demonstration": line.caregiver.return_demo,
                "patient_present": line.code not in WITHOUT_PATIENT,
                "consent_documented": False,
            }
        )


def _segments(line: ShorthandLine) -> list[Segment]:
    """The line as written, its unread stretches marked."""
    segments: list[Segment] = []
    at = 0
    for piece in line.pieces:
        if piece.kind != "unread":
            continue
        between = line.text[at : piece.start]
        if segments and segments[-1].unread and not between.strip():
            # Neighbouring unread words are one stretch, as the parser's `unread` gives them.
            segments[-1] = Segment(segments[-1].text + line.text[at : piece.end], True)
            at = piece.end
            continue
        if piece.start > at:
            segments.append(Segment(line.text[at : piece.start], False))
        segments.append(Segment(line.text[piece.start : piece.end], True))
        at = piece.end
    if at < len(line.text):
        segments.append(Segment(line.text[at:], False))
    return segments


def _left(line: ShorthandLine) -> str:
    """What stays in the box: a line with no intervention whole, otherwise its unread words."""
    return line.text.strip() if line.code is None else " ".join(line.unread)
