"""What a line of shorthand says, as the parser answers it."""

from dataclasses import dataclass, field
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
    activity: str = ""
    dose: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = field(default=(), repr=False)
