"""What the calendar's grid needs from the request: its columns and their appointments.

One clinician's or one room's day or week, or, on the day grid with `by`, a page of
GRID_COLUMNS clinicians or rooms (of the chosen location) side by side.
"""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.paging import Pager, paginate
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling import selectors_grid as grids
from otclinic.clinic.scheduling.pickers import Pickers
from otclinic.domain.scheduling.grid import ClinicHours as Hours

PREFIX = {"clinician": "with", "room": "in"}


def _pk(value: Any) -> str:
    return str(value)


def _clinicians_page(
    request: HttpRequest, *, pickers: Pickers, clinic: Any
) -> tuple[Pager, list[Any], Hours]:
    rows = pickers.clinicians
    if clinic is not None:
        rows = [row for row in rows if str(clinic.pk) in pickers.places.get(row[0], ())]
    pager = paginate(request, rows, per_page=grids.GRID_COLUMNS, param="cols")
    page = [(uuid.UUID(pk), label) for pk, label in pager.rows]
    only: dict[Any, Any] = {}
    if clinic is not None:
        hours = pickers.hours_of([clinic.pk])
    else:
        only, hours = pickers.places_of([pk for pk, _ in page])
    people = []
    for pk, label in page:
        at = clinic.pk if clinic is not None else only.get(pk)
        params = {"clinician": _pk(pk)} | ({"clinic": _pk(at)} if at else {})
        people.append((pk, label, params))
    return pager, people, hours


def _rooms_page(
    request: HttpRequest, *, pickers: Pickers, clinic: Any
) -> tuple[Pager, list[Any], Hours]:
    rows = [(pk, pickers.room_clinic[pk], label) for pk, label in pickers.rooms]
    if clinic is not None:
        rows = [row for row in rows if row[1] == str(clinic.pk)]
    pager = paginate(request, rows, per_page=grids.GRID_COLUMNS, param="cols")
    people = [
        (uuid.UUID(pk), label, {"room": pk, "clinic": clinic_id})
        for pk, clinic_id, label in pager.rows
    ]
    places = {params["clinic"] for _, _, params in people}
    return pager, people, pickers.hours_of(places)


def _side_by_side(
    request: HttpRequest,
    *,
    user: User,
    pickers: Pickers,
    filters: dict[str, Any],
    by: str,
    day: dt.date,
) -> dict[str, Any]:
    clinic = filters["clinic"]
    page = _clinicians_page if by == "clinician" else _rooms_page
    pager, people, hours = page(request, pickers=pickers, clinic=clinic)
    ids = [key for key, _, _ in people]
    narrowed = {"clinic": clinic, "clinicians" if by == "clinician" else "rooms": ids}
    days = sel.calendar_for_user(user=user, first=day, days=1, filters=narrowed, appointments=False)
    columns = grids.day_columns(day=days[0], people=people, prefix=PREFIX[by])
    grid = grids.side_by_side_grid(
        user=user, columns=columns, day=days[0], by=by, filters=narrowed, hours=hours
    )
    return {"days": days, "grid": grid, "pager": pager}


def _one_column(filters: dict[str, Any]) -> tuple[Any, str, str, dict[str, str]]:
    """The one clinician's or room's column: (id, name, by, booking pre-fill)."""
    clinician, room, clinic = filters["clinician"], filters["room"], filters["clinic"]
    params: dict[str, str] = {}
    if room is not None:
        params |= {"room": _pk(room.pk), "clinic": _pk(room.clinic_id)}
    if clinic is not None:
        params["clinic"] = _pk(clinic.pk)
    if clinician is not None:
        return clinician.pk, str(clinician), "clinician", {"clinician": _pk(clinician.pk)} | params
    label = sel.room_label(clinic_name=room.clinic.name, room_name=room.name)
    return room.pk, label, "room", params


def grid_context(
    request: HttpRequest,
    *,
    user: User,
    pickers: Pickers,
    filters: dict[str, Any],
    by: str,
    first: dt.date,
    days: int,
) -> dict[str, Any]:
    """`days` (the calendar's days, each with its appointments) and `grid`, and the `pager` of
    the columns side by side."""
    if by:
        return _side_by_side(request, user=user, pickers=pickers, filters=filters, by=by, day=first)
    calendar = sel.calendar_for_user(user=user, first=first, days=days, filters=filters)
    if filters["clinician"] is None and filters["room"] is None:
        return {"days": calendar}  # an organization without clinicians: nothing to lay out
    key, label, column_by, params = _one_column(filters)
    if "clinic" in params:
        hours = pickers.hours_of([params["clinic"]])
    else:  # one clinician, no location chosen: their locations' hours
        only, hours = pickers.places_of([key])
        params |= {"clinic": _pk(only[key])} if key in only else {}
    who = f"{PREFIX[column_by]} {label}"
    if days > 1:
        grid = grids.week_grid(days=calendar, who=who, params=params, hours=hours)
    else:
        columns = grids.day_columns(
            day=calendar[0], people=[(key, label, params)], prefix=PREFIX[column_by]
        )
        grid = grids.day_grid(columns=columns, day=calendar[0], by=column_by, hours=hours)
    return {"days": calendar, "grid": grid}
