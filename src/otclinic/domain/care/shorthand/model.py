"""What a line of shorthand says, as the parser answers it."""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Writer(StrEnum):
    """Who wrote the line: their minutes are the ones not given to anyone else."""

    OT = "ot"
    OTA = "ota"

    @property
    def role(self) -> str:
        return "therapist" if self is Writer.OT else "assistant"


@dataclass(frozen=True, slots=True)
class Minutes:
    therapist: int = 0
    assistant: int = 0
    together: int = 0

    @property
    def total(self) -> int:
        return self.therapist + self.assistant + self.together


@dataclass(frozen=True, slots=True)
class Device:
    equipment: str
    text: str


@dataclass(frozen=True, slots=True)
class HomeModification:
    modification: str
    room: str
    text: str


@dataclass(frozen=True, slots=True)
class CaregiverTraining:
    who: str
    topic: str
    return_demo: bool


@dataclass(frozen=True, slots=True)
class Measured:
    """A measure written with its value (`grip 21.5 kg`); `unit` is as written ("" when none),
    `text` the words of the line it was read from."""

    instrument: str
    value: Decimal
    unit: str
    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the line and what it was read as ("unread" when it was not)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class ShorthandLine:
    """What one line says. `pieces` cover every character of it that is not a space."""

    text: str
    code: str | None = None
    category: str | None = None
    minutes: Minutes = Minutes()
    assist_level: str | None = None
    devices: tuple[Device, ...] = ()
    modifications: tuple[HomeModification, ...] = ()
    caregiver: CaregiverTraining | None = None
    measures: tuple[Measured, ...] = ()
    activity: str = ""
    dose: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = field(default=(), repr=False)
