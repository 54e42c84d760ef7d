"""What the calendar's grid needs from the request: its columns and their appointments.

One clinician's or one room's day or week, or, on the day grid with `by`, a page of
GRID_COLUMNS clinicians or rooms (of the chosen location) side by side.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.paging import Pager, paginate
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling import selectors_grid as grids
from otclinic.clinic.staff.models import staff_label
from otclinic.domain.scheduling.grid import ClinicHours as Hours

PREFIX = {"clinician": "with", "room": "in"}


def _pk(value: Any) -> str:
    return str(value)


def _clinicians_page(
    request: HttpRequest, *, user: User, clinic: Any
) -> tuple[Pager, list[Any], Hours]:
    rows = sel.clinicians_for_user(user=user)
    if clinic is not None:
        rows = rows.filter(clinics=clinic)
    columns = ("pk", "user__first_name", "user__last_name", "user__username", "credentials")
    pager = paginate(request, rows.values_list(*columns), per_page=grids.GRID_COLUMNS, param="cols")
    page = list(pager.rows)
    only: dict[Any, Any] = {}
    if clinic is not None:
        hours = grids.hours_for(user=user, clinic_ids=[clinic.pk])
    else:
        only, hours = grids.clinicians_places([row[0] for row in page])
    people = []
    for pk, first, last, login, credentials in page:
        label = staff_label(
            first_name=first, last_name=last, username=login, credentials=credentials
        )
        at = clinic.pk if clinic is not None else only.get(pk)
        params = {"clinician": _pk(pk)} | ({"clinic": _pk(at)} if at else {})
        people.append((pk, label, params))
    return pager, people, hours


def _rooms_page(request: HttpRequest, *, user: User, clinic: Any) -> tuple[Pager, list[Any], Hours]:
    rows = sel.rooms_for_user(user=user)
    if clinic is not None:
        rows = rows.filter(clinic=clinic)
    columns = ("pk", "clinic_id", "clinic__name", "name")
    pager = paginate(request, rows.values_list(*columns), per_page=grids.GRID_COLUMNS, param="cols")
    people = [
        (
            pk,
            sel.room_label(clinic_name=clinic_name, room_name=name),
            {"room": _pk(pk), "clinic": _pk(clinic_id)},
        )
        for pk, clinic_id, clinic_name, name in pager.rows
    ]
    places = {params["clinic"] for _, _, params in people}
    return pager, people, grids.hours_for(user=user, clinic_ids=sorted(places))


def _side_by_side(
    request: HttpRequest, *, user: User, filters: dict[str, Any], by: str, day: dt.date
) -> dict[str, Any]:
    clinic = filters["clinic"]
    page = _clinicians_page if by == "clinician" else _rooms_page
    pager, people, hours = page(request, user=user, clinic=clinic)
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
    filters: dict[str, Any],
    by: str,
    first: dt.date,
    days: int,
) -> dict[str, Any]:
    """`days` (the calendar's days, each with its appointments) and `grid`, and the `pager` of
    the columns side by side."""
    if by:
        return _side_by_side(request, user=user, filters=filters, by=by, day=first)
    calendar = sel.calendar_for_user(user=user, first=first, days=days, filters=filters)
    if filters["clinician"] is None and filters["room"] is None:
        return {"days": calendar}  # an organization without clinicians: nothing to lay out
    key, label, column_by, params = _one_column(filters)
    if "clinic" in params:
        hours = grids.hours_for(user=user, clinic_ids=[params["clinic"]])
    else:  # one clinician, no location chosen: their locations' hours
        only, hours = grids.clinicians_places([key])
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
