"""From the kinds each token was read as to the line's facts (code, devices, caregiver ...)."""

from collections.abc import Mapping
from dataclasses import dataclass

from otclinic.domain.care.shorthand.lexicon import Lexicon, Meaning
from otclinic.domain.care.shorthand.model import (
    CaregiverTraining,
    Device,
    HomeModification,
    Measured,
    Minutes,
    Piece,
    ShorthandLine,
)
from otclinic.domain.care.shorthand.tokens import Token

# Kinds that describe the activity: joined, in order, into the line's activity and topic.
_ACTIVITY_KINDS = {"activity", "device", "filler", "room", "modification"}


@dataclass(frozen=True)
class Read:
    text: str
    tokens: list[Token]
    kinds: list[str]
    meanings: Mapping[int, Meaning]
    minutes: Mapping[str, int]
    measures: tuple[Measured, ...] = ()

    def first(self, kind: str) -> int | None:
        return next((i for i in self.meanings if self.meanings[i].kind == kind), None)

    def span(self, i: int) -> str:
        """The words read together from token i (a phrase may be several tokens)."""
        j = i + 1
        while j < len(self.tokens) and self.kinds[j] == self.kinds[i] and j not in self.meanings:
            j += 1
        return self.text[self.tokens[i].start : self.tokens[j - 1].end]


def assemble(read: Read, *, planned: tuple[str, ...], lexicon: Lexicon) -> ShorthandLine:
    kinds = list(read.kinds)
    code, category, caregiver_line = _code(read, kinds, planned, lexicon)
    assist = _assist(read, kinds)
    modifications, devices = _equipment(read, category, lexicon)
    caregiver = _caregiver(read, kinds) if caregiver_line else None
    final = Read(read.text, read.tokens, kinds, read.meanings, read.minutes, read.measures)
    return ShorthandLine(
        text=read.text,
        code=code,
        category=category,
        minutes=Minutes(**read.minutes),
        assist_level=assist,
        devices=devices,
        modifications=modifications,
        caregiver=caregiver,
        measures=read.measures,
        activity=_activity(final, start=0),
        dose=_runs(final, "dose"),
        unread=_runs(final, "unread"),
        pieces=tuple(Piece(t.start, t.end, k) for t, k in zip(read.tokens, kinds, strict=True)),
    )


def _code(
    read: Read, kinds: list[str], planned: tuple[str, ...], lexicon: Lexicon
) -> tuple[str | None, str | None, bool]:
    """The written code, else the first intervention's; a second code or intervention is unread."""
    written = [i for i, k in enumerate(kinds) if k == "code"]
    named = [i for i in read.meanings if read.meanings[i].kind == "intervention"]
    for i in written[1:] + named[1:]:
        _unmark(read, kinds, i)
    intervention = read.meanings[named[0]].intervention if named else None
    code = read.tokens[written[0]].norm.upper() if written else None
    if intervention is not None:
        code = code or intervention.code_for(planned)
        return code, intervention.category, intervention.caregiver
    return code, lexicon.code_categories.get(code) if code else None, False


def _assist(read: Read, kinds: list[str]) -> str | None:
    """The first level of assistance; a second one is left unread for the clinician to place."""
    found = [i for i in read.meanings if read.meanings[i].kind == "assist"]
    for i in found[1:]:
        _unmark(read, kinds, i)
    return read.meanings[found[0]].value if found else None


def _unmark(read: Read, kinds: list[str], i: int) -> None:
    j = i + 1
    while j < len(kinds) and kinds[j] == kinds[i] and j not in read.meanings:
        kinds[j] = "unread"
        j += 1
    kinds[i] = "unread"


def _equipment(
    read: Read, category: str | None, lexicon: Lexicon
) -> tuple[tuple[HomeModification, ...], tuple[Device, ...]]:
    """Devices, and home modifications (a device becomes one in a line that recommends)."""
    recommends = category == "environmental_modification" or read.first("recommend") is not None
    room_at = read.first("room")
    room = read.meanings[room_at].value if room_at is not None else None
    modifications: list[HomeModification] = []
    devices: list[Device] = []
    for i in sorted(read.meanings):
        meaning = read.meanings[i]
        twin = lexicon.device_modifications.get(meaning.value)
        if meaning.kind == "modification" or (meaning.kind == "device" and recommends and twin):
            name = meaning.value if meaning.kind == "modification" else str(twin)
            where = room or lexicon.modification_rooms.get(name, "other")
            modifications.append(HomeModification(name, where, read.span(i)))
        elif meaning.kind == "device":
            devices.append(Device(meaning.value, read.span(i)))
    return tuple(modifications), tuple(devices)


def _caregiver(read: Read, kinds: list[str]) -> CaregiverTraining:
    """Who was trained (the first caregiver word), on what (the activity after it), shown back?"""
    who_at = read.first("caregiver")
    who = read.meanings[who_at].value if who_at is not None else "caregiver"
    return CaregiverTraining(
        who=who,
        topic=_activity(read, start=(who_at + 1) if who_at is not None else 0),
        return_demo=read.first("return_demo") is not None,
    )


def _activity(read: Read, *, start: int) -> str:
    """The words that describe what was done, from token `start`, without leading or
    trailing joining words."""
    chosen = [i for i in range(start, len(read.tokens)) if read.kinds[i] in _ACTIVITY_KINDS]
    while chosen and read.kinds[chosen[0]] == "filler":
        chosen.pop(0)
    while chosen and read.kinds[chosen[-1]] == "filler":
        chosen.pop()
    return " ".join(read.tokens[i].text for i in chosen)


def _runs(read: Read, wanted: str) -> tuple[str, ...]:
    """The tokens of one kind, neighbours joined into one fragment as they were written."""
    fragments: list[tuple[int, int]] = []
    previous = -2
    for i, kind in enumerate(read.kinds):
        if kind != wanted:
            continue
        token = read.tokens[i]
        if previous == i - 1 and fragments:
            fragments[-1] = (fragments[-1][0], token.end)
        else:
            fragments.append((token.start, token.end))
        previous = i
    return tuple(read.text[s:e] for s, e in fragments)
