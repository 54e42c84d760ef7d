"""The calendar: a day or a week as a grid of slots, for one clinician or room, or a day of
several clinicians or rooms side by side (`by`, a page of columns at a time).

htmx navigation (previous, today, next, the filters) swaps only the calendar's partial and
pushes the URL, so the page can be bookmarked and reloaded on the same day and filters. Each free
slot of the grid links to the booking form, pre-filled with its time and column.
"""

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling.forms import CalendarFilterForm
from otclinic.clinic.scheduling.pickers import Pickers, pickers_for_user
from otclinic.clinic.scheduling.views_grid import grid_context
from otclinic.domain.access import Capability

FILTERS = ("clinician", "clinic", "room")
SIDE_BY_SIDE = ("clinician", "room")  # `by`: the day grid's columns, a page at a time


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _uuid_text(value: str) -> str:
    """An id as the cache writes it (a UUID's canonical text), or "" when it is none."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


def _query(request: HttpRequest, user: User, *, week: bool, pickers: Pickers) -> QueryDict:
    """The query string, naming a clinician when it names neither a clinician nor a room (nor,
    on the day grid, asks for clinicians or rooms side by side): the signed-in clinician's own
    calendar, else the first clinician (of the chosen location, when one is chosen). One
    person's or one room's calendar stays the same size however many clinicians and patients
    the clinic has; the picker shows anyone else's."""
    query = request.GET.copy()
    if query.get("clinician") or query.get("room"):
        return query
    if not week and query.get("by") in SIDE_BY_SIDE:
        return query
    if user.role in sel.CLINICIAN_ROLES:
        own = pickers.profiles.get(str(user.pk))
        if own is None:  # not in the picker (an inactive profile): read it
            profile = getattr(user, "staff_profile", None)
            own = str(profile.pk) if profile is not None else None
        if own is not None:
            query["clinician"] = own
            return query
    # The first in the picker (by name), of the chosen location when it has any.
    clinic = _uuid_text(query.get("clinic", ""))
    listed = [pk for pk, _ in pickers.clinicians]
    at_clinic = [pk for pk in listed if clinic in pickers.places.get(pk, ())]
    if at_clinic or listed:
        query["clinician"] = (at_clinic or listed)[0]
    return query


def _link(view: str, day: dt.date, filters: dict[str, Any], by: str = "") -> str:
    params = {"day": day.isoformat()} | {
        name: str(value.pk) for name, value in filters.items() if value is not None
    }
    if by:
        params["by"] = by
    return f"{reverse(view)}?{urlencode(params)}"


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _calendar(request: AuthenticatedHttpRequest, *, week: bool) -> HttpResponse:
    user: User = request.user
    require(user, Capability.SCHEDULE)
    pickers = pickers_for_user(user=user)
    query = _query(request, user, week=week, pickers=pickers)
    form = CalendarFilterForm(query, user=user, pickers=pickers)
    valid = form.is_valid()
    data = form.cleaned_data  # the fields that are valid, even when another is not
    filters = {name: data.get(name) for name in FILTERS}
    side_by_side = not week and not filters["clinician"] and not filters["room"]
    by = data.get("by", "") if side_by_side else ""
    day = data.get("day") or timezone.localdate()
    first, days, step = (_week_start(day), 7, 7) if week else (day, 1, 1)
    view = "scheduling:week" if week else "scheduling:day"
    context: dict[str, Any] = {
        "form": form,
        "week": week,
        "by": by,
        "day": day,
        "first": first,
        "last": first + dt.timedelta(days=days - 1),
        "days": [],
        "grid": None,
        "filters": filters,
        "previous_url": _link(view, day - dt.timedelta(days=step), filters, by),
        "next_url": _link(view, day + dt.timedelta(days=step), filters, by),
        "today_url": _link(view, timezone.localdate(), filters, by),
        "tomorrow": timezone.localdate() + dt.timedelta(days=1),
        "day_url": _link("scheduling:day", day, filters),
        "week_url": _link("scheduling:week", day, filters),
        "clinicians_url": _link("scheduling:day", day, {"clinic": filters["clinic"]}, "clinician"),
        "rooms_url": _link("scheduling:day", day, {"clinic": filters["clinic"]}, "room"),
        "time_zone": timezone.get_current_timezone_name(),
    }
    # A filter that names nobody of this organization shows nothing rather than everyone.
    if valid:
        context |= grid_context(
            request, user=user, pickers=pickers, filters=filters, by=by, first=first, days=days
        )
    template = "scheduling/calendar.html"
    if is_htmx(request):
        template += "#calendar"
    return render(request, template, context, status=200 if valid else 422)


@login_required
@require_GET
def day_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _calendar(request, week=False)


@login_required
@require_GET
def week_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _calendar(request, week=True)
