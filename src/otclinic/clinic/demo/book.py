"""The demo's appointment book: who and which room is taken when, so that the seed books as
`scheduling.services.appointment_book` would let a desk book.

The booking rule (`domain.scheduling.conflicts`) holds each clinician, patient and room to one
appointment at a time. The seed asks this book for a time its clinician and patient both have
free, and for a room: the visit's preferred room when it is free, else the clinic's next free
room in the rooms' order, else none (the visit is seen in the open gym area or at the bedside,
as a clinic with more clinicians than rooms does). Everything is decided in the order the seed
books, with no random draw of its own, so a seed is the same on every run.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

Interval = tuple[dt.datetime, dt.datetime]


def _overlaps(taken: list[Interval], start: dt.datetime, end: dt.datetime) -> bool:
    return any(s < end and start < e for s, e in taken)


@dataclass
class Book:
    """The held intervals of each clinician, patient and room, by day."""

    _taken: dict[tuple[Hashable, dt.date], list[Interval]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def is_free(self, key: Hashable, start: dt.datetime, end: dt.datetime) -> bool:
        return not _overlaps(self._taken[key, start.date()], start, end)

    def first_free(
        self,
        starts: Iterable[dt.datetime],
        *,
        minutes: int,
        clinician: uuid.UUID,
        patient: uuid.UUID,
    ) -> dt.datetime:
        """The first of `starts` at which the clinician and the patient are both free.

        `starts` must hold a free time (an open-ended run of times always does)."""
        length = dt.timedelta(minutes=minutes)
        for start in starts:
            end = start + length
            if self.is_free(clinician, start, end) and self.is_free(patient, start, end):
                return start
        raise ValueError("no free time among the starts offered")

    def room_for(
        self, rooms: list[uuid.UUID], preferred: uuid.UUID, start: dt.datetime, end: dt.datetime
    ) -> uuid.UUID | None:
        """The preferred room if free, else the next free one after it, else None."""
        first = rooms.index(preferred)
        for room in rooms[first:] + rooms[:first]:
            if self.is_free(room, start, end):
                return room
        return None

    def place(
        self,
        *,
        rooms: list[uuid.UUID],
        preferred: uuid.UUID,
        start: dt.datetime,
        end: dt.datetime,
        clinician: uuid.UUID,
        patient: uuid.UUID,
        holds: bool = True,
    ) -> uuid.UUID | None:
        """Book a visit: its room (see `room_for`), with clinician, patient and room held.

        A visit that holds no slot (cancelled, a no-show) keeps its preferred room and holds
        nothing, as the booking rule counts it nowhere."""
        if not holds:
            return preferred
        room = self.room_for(rooms, preferred, start, end)
        self.hold(start, end, clinician, patient, room)
        return room

    def hold(self, start: dt.datetime, end: dt.datetime, *keys: Hashable | None) -> None:
        """Mark the clinician, patient and room (when there is one) taken from start to end."""
        for key in keys:
            if key is not None:
                self._taken[key, start.date()].append((start, end))
