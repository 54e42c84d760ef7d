"""The calendar: a day or a week, for everyone or one clinician, location or room.

htmx navigation (previous, today, next, the filters) swaps only the calendar's partial and
pushes the URL, so the page can be bookmarked and reloaded on the same day and filters.
"""

import datetime as dt
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
from otclinic.domain.access import Capability

FILTERS = ("clinician", "clinic", "room")


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _query(request: HttpRequest, user: User) -> QueryDict:
    """The query string, naming a clinician when it names neither a clinician nor a room: the
    signed-in clinician's own calendar, else the first clinician (of the chosen location, when
    one is chosen). One person's or one room's calendar stays the same size however many
    clinicians and patients the clinic has; the picker shows anyone else's."""
    query = request.GET.copy()
    if query.get("clinician") or query.get("room"):
        return query
    profile = getattr(user, "staff_profile", None)
    if profile is not None and user.role in sel.CLINICIAN_ROLES:
        query["clinician"] = str(profile.pk)
        return query
    first = sel.first_clinician_for_user(user=user, clinic_id=query.get("clinic"))
    if first is not None:
        query["clinician"] = str(first.pk)
    return query


def _link(view: str, day: dt.date, filters: dict[str, Any]) -> str:
    params = {"day": day.isoformat()} | {
        name: str(value.pk) for name, value in filters.items() if value is not None
    }
    return f"{reverse(view)}?{urlencode(params)}"


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _calendar(request: AuthenticatedHttpRequest, *, week: bool) -> HttpResponse:
    user: User = request.user
    require(user, Capability.SCHEDULE)
    form = CalendarFilterForm(_query(request, user), user=user)
    valid = form.is_valid()
    data = form.cleaned_data  # the fields that are valid, even when another is not
    filters = {name: data.get(name) for name in FILTERS}
    day = data.get("day") or timezone.localdate()
    first, days, step = (_week_start(day), 7, 7) if week else (day, 1, 1)
    view = "scheduling:week" if week else "scheduling:day"
    context = {
        "form": form,
        "week": week,
        "day": day,
        "first": first,
        "last": first + dt.timedelta(days=days - 1),
        # A filter that names nobody of this organization shows nothing rather than everyone.
        "days": sel.calendar_for_user(user=user, first=first, days=days, filters=filters)
        if valid
        else [],
        "filters": filters,
        "previous_url": _link(view, day - dt.timedelta(days=step), filters),
        "next_url": _link(view, day + dt.timedelta(days=step), filters),
        "today_url": _link(view, timezone.localdate(), filters),
        "tomorrow": timezone.localdate() + dt.timedelta(days=1),
        "day_url": _link("scheduling:day", day, filters),
        "week_url": _link("scheduling:week", day, filters),
        "time_zone": timezone.get_current_timezone_name(),
    }
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
