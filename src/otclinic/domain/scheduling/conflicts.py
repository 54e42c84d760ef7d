"""Double bookings: one clinician, patient or room in two overlapping appointments."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Resource(StrEnum):
    """What can be booked only once at a time."""

    CLINICIAN = "clinician"
    PATIENT = "patient"
    ROOM = "room"


@dataclass(frozen=True, slots=True)
class Slot:
    """A booked interval, half-open: [starts_at, ends_at). Ends are timezone-aware."""

    starts_at: datetime
    ends_at: datetime
    clinician: Hashable
    patient: Hashable
    room: Hashable | None = None
    ref: Hashable | None = None

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValueError(f"a slot must end after it starts: {self.starts_at} to {self.ends_at}")


@dataclass(frozen=True, slots=True)
class Conflict:
    resource: Resource
    other: Slot

    @property
    def message(self) -> str:
        start, end = self.other.starts_at, self.other.ends_at
        return f"the {self.resource} is already booked {start:%Y-%m-%d %H:%M}-{end:%H:%M}"


def overlaps(a: Slot, b: Slot) -> bool:
    """True when two slots share time; one ending as the other starts is no overlap."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _shared(a: Slot, b: Slot) -> list[Resource]:
    shared = []
    if a.clinician == b.clinician:
        shared.append(Resource.CLINICIAN)
    if a.patient == b.patient:
        shared.append(Resource.PATIENT)
    if a.room is not None and a.room == b.room:
        shared.append(Resource.ROOM)
    return shared


def conflicts(candidate: Slot, booked: Iterable[Slot]) -> list[Conflict]:
    """Each booked slot that overlaps the candidate, once per resource they share."""
    return [
        Conflict(resource, other)
        for other in booked
        if overlaps(candidate, other)
        for resource in _shared(candidate, other)
    ]
