"""What the documentation assistant asks a language model, and how its answers are judged.

The model only ever proposes. Its narrative is a draft the clinician edits; a draft that names a
code or a figure the note's entries do not hold is refused (the deterministic draft is shown
instead), so a reply cannot slip different codes or minutes into the note's words. Shorthand it
reads becomes proposed entries: each is checked like a typed line, and none is applied until
the clinician confirms it. What is sent is minimised first (`phi.minimise`).
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from otclinic.domain.care.narrative import NoteContent, draft_narrative, number

NARRATIVE_SYSTEM = (
    "You help an occupational therapy clinician write the narrative of a daily treatment note. "
    "Rewrite the draft as one concise paragraph of skilled clinical documentation. Use only "
    "the facts given: do not add, remove or change any CPT code, minutes, measure or number. "
    "Keep every placeholder such as [NAME_1] exactly as written. Answer with the paragraph only."
)
SHORTHAND_SYSTEM = (
    "You read occupational therapy shorthand. For each numbered line answer one JSON object "
    'in a list under "entries": {"line": n, "code": "97530", "minutes": 15, '
    '"who": "assistant|therapist|together", "assist_level": "", "devices": []}. '
    "Use null for what the line does not say. Answer with JSON only."
)
ASSIST_LEVELS = ("I", "Mod I", "S/SBA", "CGA", "Min A", "Mod A", "Max A", "Dep")
WHO = ("therapist", "assistant", "together")
MAX_LINE_MINUTES = 120  # one person's minutes on one intervention, as the note's form allows
# A figure as the model writes it: 97530, 15, 22.5 (a placeholder's number is not one).
_FIGURE = re.compile(r"(?<![\w.\[])(\d+(?:\.\d+)?)(?![\w\]])")


def narrative_messages(content: NoteContent) -> list[dict[str, str]]:
    """The chat messages asking for a narrative: the deterministic draft and its facts."""
    facts = {
        "interventions": [
            {"code": i.code, "label": i.label, "minutes": i.minutes} for i in content.interventions
        ],
        "goals": [
            {"measure": g.measure, "value": _text(g.value), "unit": g.unit} for g in content.goals
        ],
        "equipment": [e.equipment for e in content.equipment],
        "caregiver_training": [c.topic for c in content.caregiver],
    }
    user = f"Facts (JSON): {json.dumps(facts)}\nDraft: {draft_narrative(content)}"
    return [{"role": "system", "content": NARRATIVE_SYSTEM}, {"role": "user", "content": user}]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


def figures(text: str) -> set[Decimal]:
    """Every number a text states (codes, minutes, measures), as values: 15 and 15.0 are one."""
    return {Decimal(m.group(1)).normalize() for m in _FIGURE.finditer(text)}


def narrative_problems(draft: str, *, sent: str) -> list[str]:
    """Why a model's narrative may not be offered: a code or figure that what was sent (the
    note's entries and their standard draft) does not hold, as when a reply changes a code or
    the minutes; or no text at all."""
    if not draft.strip():
        return ["The assistant gave no text."]
    allowed = figures(sent)
    stray = sorted(figures(draft) - allowed)
    if stray:
        listed = ", ".join(format(v, "f") for v in stray)
        return [f"The assistant's draft states figures that are not on the note ({listed})."]
    return []


@dataclass(frozen=True, slots=True)
class ProposedEntry:
    """A shorthand line as the model read it; nothing is applied until the clinician confirms."""

    line: str
    code: str
    minutes: int
    who: str
    assist_level: str = ""
    devices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShorthandReading:
    """The entries proposed, the lines left unread, and for each unread line why the model's
    entry for it (if any) was refused, in plain words."""

    proposed: tuple[ProposedEntry, ...]
    unread: tuple[str, ...]
    refused: tuple[tuple[str, str], ...] = ()


def shorthand_messages(lines: list[str]) -> list[dict[str, str]]:
    numbered = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))
    return [
        {"role": "system", "content": SHORTHAND_SYSTEM},
        {"role": "user", "content": numbered},
    ]


def shorthand_reading(
    reply: str,
    lines: list[str],
    *,
    codes: frozenset[str],
    default_who: str,
    max_minutes: int = MAX_LINE_MINUTES,
) -> ShorthandReading:
    """The model's reading of `lines`, each entry checked as a typed line is: a code of the
    note's code list, whole minutes from 1 to `max_minutes` (the visit's), a known person and
    assistance level. A line without a valid entry stays unread, as typed, with the reason; a
    reply that is not JSON alone (prose, extra instructions around it) reads none. Keys the
    reply adds beyond those asked for are ignored: they cannot instruct anything."""
    entries = _entries(reply)
    if entries is None:
        why = "the answer was not the JSON asked for"
        return ShorthandReading((), tuple(lines), tuple((line, why) for line in lines))
    proposed: dict[int, ProposedEntry] = {}
    reasons: dict[int, str] = {}
    for item in entries:
        at = _line_number(item, len(lines))
        if not at or at in proposed:
            continue
        found = _entry(
            item, lines[at - 1], codes=codes, default_who=default_who, max_minutes=max_minutes
        )
        if isinstance(found, ProposedEntry):
            proposed[at] = found
        else:
            reasons.setdefault(at, found)
    unread = tuple(line for n, line in enumerate(lines, start=1) if n not in proposed)
    refused = tuple(
        (line, reasons.get(n, "the assistant gave no reading"))
        for n, line in enumerate(lines, start=1)
        if n not in proposed
    )
    return ShorthandReading(tuple(proposed[n] for n in sorted(proposed)), unread, refused)


def _entries(reply: str) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(reply)
    except ValueError:
        return None
    items = data.get("entries") if isinstance(data, dict) else data
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else None


def _line_number(item: dict[str, Any], count: int) -> int:
    n = item.get("line")
    return n if isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= count else 0


def _entry(
    item: dict[str, Any], line: str, *, codes: frozenset[str], default_who: str, max_minutes: int
) -> ProposedEntry | str:
    """The entry, or why it is refused."""
    code = str(item.get("code") or "").strip().upper()
    minutes = _minutes(item.get("minutes"), max_minutes)
    who = str(item.get("who") or default_who)
    level = str(item.get("assist_level") or "")
    if code not in codes:
        return f"code {code[:12] or '(none)'} is not one of this plan's codes in the code table"
    if minutes is None:
        return f"minutes must be whole, from 1 to {max_minutes} (the visit's minutes)"
    if who not in WHO:
        return "it did not say who gave the minutes"
    if level and level not in ASSIST_LEVELS:
        level = ""
    devices = item.get("devices")
    named = (
        tuple(str(d)[:60] for d in devices if isinstance(d, str))
        if isinstance(devices, list)
        else ()
    )
    return ProposedEntry(line, code, minutes, who, level, named)


# How a proposal is written back as a line of the grammar (docs/shorthand.md), so that an
# accepted proposal fills its row exactly as a typed line does.
WHO_WORDS = {"therapist": "ot", "assistant": "ota", "together": "tog"}
LEVEL_WORDS = {"S/SBA": "SBA"}


def proposal_line(entry: ProposedEntry, *, devices: tuple[str, ...] | None = None) -> str:
    """The shorthand line an accepted proposal stands for: `97530 ota 15 CGA RW`."""
    words = [entry.code, WHO_WORDS[entry.who], str(entry.minutes)]
    if entry.assist_level:
        words.append(LEVEL_WORDS.get(entry.assist_level, entry.assist_level))
    words += entry.devices if devices is None else devices
    return " ".join(words)


def _minutes(value: Any, most: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        whole = Decimal(str(value))
    except InvalidOperation:
        return None
    if whole != whole.to_integral_value() or not 1 <= whole <= most:
        return None
    return int(whole)
