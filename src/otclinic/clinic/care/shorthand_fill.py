"""The daily note's rows from clinician shorthand: the parser's facts as the note's form rows.

Nothing is saved here: the rows are added to what the form already holds, the page shows them,
and the clinician saves or signs as always. What the parser could not read is shown highlighted
and kept in the shorthand box.
"""

from dataclasses import dataclass
from typing import Any

from otclinic.clinic.care.models import Goal, TreatmentNote
from otclinic.clinic.care.selectors_shorthand import organization_lexicon
from otclinic.domain.care.shorthand import ShorthandLine, Writer, parse_lines
from otclinic.domain.care.shorthand.goals import GoalRef, goal_measure, measured_goal
from otclinic.domain.care.shorthand.measures import left_unread
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
    unread_texts: tuple[str, ...] = ()


def writer_of(role: str) -> Writer:
    return Writer.OTA if Role(role).is_assistant else Writer.OT


def fill_from_shorthand(*, note: TreatmentNote, text: str, planned: list[str]) -> Filled:
    """Read the lines as the note's author wrote them; the rows they give, section by section."""
    lines = parse_lines(
        text,
        writer=writer_of(note.author.user.role),
        planned=tuple(planned),
        lexicon=organization_lexicon(note.organization_id),
    )
    goals = [
        GoalRef(str(g.pk), g.measure, g.description, g.unit)
        for g in Goal.objects.filter(plan__episode=note.episode).order_by("position")
    ]
    rows: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("lines", "goals", "equipment", "environment", "caregiver")
    }
    read = [_place_measures(rows, line, goals) for line in lines]
    for line in read:
        if line.code:  # a line that names no intervention fills no rows of its own
            _add_rows(rows, line, goals)
    unread = [line for line in read if line.unread or _names_nothing(line)]
    return Filled(
        rows=rows,
        unread_lines=[_segments(line) for line in unread],
        remaining="\n".join(_left(line) for line in unread),
        line_count=len(lines),
        unread_texts=tuple(line.text.strip() for line in unread),
    )


def _names_nothing(line: ShorthandLine) -> bool:
    return line.code is None and not line.measures


def _place_measures(
    rows: dict[str, list[dict[str, Any]]], line: ShorthandLine, goals: list[GoalRef]
) -> ShorthandLine:
    """Each measure's value as today's measure of its goal; a measure no single goal takes is
    left unread on the line."""
    gone = []
    for measured in line.measures:
        goal = measured_goal(measured, goals)
        if goal is None:
            gone.append(measured)
        else:
            rows["goals"].append({"goal": goal.key, "value": measured.value, "comment": ""})
    return left_unread(line, gone)


def merge_rows(
    held: dict[str, list[dict[str, Any]]],
    added: dict[str, list[dict[str, Any]]],
    *,
    mark: bool = False,
) -> None:
    """Add the shorthand's rows to the rows the page holds. A carried-forward row (an
    intervention with no minutes yet, a goal with no measure yet) is filled in place by the
    first added row of the same code or goal, rather than repeated below it.

    With `mark` (the box read as it is typed), each row added or filled carries a mark saying
    so, and `unfill` takes them back before the box is read again."""
    for prefix, rows in added.items():
        for row in rows:
            target = _open_row(prefix, held[prefix], row)
            if target is None:
                held[prefix].append({**row, MARK: ADDED} if mark else row)
                continue
            filled = FILLED
            if prefix == "lines":
                target.update({name: row[name] for name in MINUTE_FIELDS})
            elif _fill_goal(target, row):
                filled = FILLED_COMMENT
            if mark:
                target[MARK] = filled


def unfill(held: dict[str, list[dict[str, Any]]]) -> None:
    """Take back what the box, read as it was typed, gave last time: rows it added go, rows it
    filled in place are blank again, so reading the box again gives each row once."""
    for prefix, rows in held.items():
        kept = []
        for row in rows:
            mark = row.get(MARK) or ""
            if mark == ADDED:
                continue
            if mark in (FILLED, FILLED_COMMENT):
                if prefix == "lines":
                    row.update(dict.fromkeys(MINUTE_FIELDS, 0))
                else:
                    row["value"] = ""
                if mark == FILLED_COMMENT:
                    row["comment"] = ""
            row[MARK] = ""
            kept.append(row)
        held[prefix] = kept


# The row mark (a hidden field of each row) of rows the box filled as it was typed.
MARK = "from_shorthand"
ADDED, FILLED, FILLED_COMMENT = "added", "filled", "filled_comment"
MINUTE_FIELDS = ("assistant_minutes", "therapist_minutes", "together_minutes")


def _blank(value: Any) -> bool:
    return str(value if value is not None else "").strip() in ("", "0")


def _open_row(prefix: str, held: list[dict[str, Any]], row: dict[str, Any]) -> Any:
    if prefix == "lines":
        return next(
            (
                h
                for h in held
                if str(h.get("code") or h.get("more_code") or "") == row["code"]
                and all(_blank(h.get(name)) for name in MINUTE_FIELDS)
            ),
            None,
        )
    if prefix == "goals":
        return next(
            (
                h
                for h in held
                if str(h.get("goal") or "") == str(row["goal"])
                and _blank(h.get("value"))
                and (row["value"] is not None or not str(h.get("comment") or "").strip())
            ),
            None,
        )
    return None


def _fill_goal(target: dict[str, Any], row: dict[str, Any]) -> bool:
    """Fill a carried-forward goal row; whether its comment was filled too."""
    if row["value"] is not None:
        target["value"] = row["value"]
    if row["comment"] and not str(target.get("comment") or "").strip():
        target["comment"] = row["comment"]
        return True
    return False


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
    """What stays in the box: a line that names nothing whole, otherwise its unread words."""
    return line.text.strip() if _names_nothing(line) else " ".join(line.unread)
