"""The clinician's iCalendar feed: a subscription URL for phone and desktop calendars."""

import datetime as dt
from uuid import UUID

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from otclinic.clinic.accounts.models import User
from otclinic.clinic.scheduling import selectors
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.scheduling.icalendar import render_calendar

_FEED_HISTORY = dt.timedelta(days=30)


def _clinician_by_token(clinician_id: UUID, token: str) -> StaffProfile:
    clinician = get_object_or_404(StaffProfile, pk=clinician_id)
    if not selectors.calendar_token_matches(clinician=clinician, token=token):
        raise Http404("No such calendar")
    return clinician


@require_GET
def clinician_calendar(request: HttpRequest, clinician_id: UUID) -> HttpResponse:
    """Session: staff of the clinician's organization. Otherwise the feed's own token."""
    user = request.user
    token = request.GET.get("token", "")
    if isinstance(user, User) and user.is_clinic_staff:
        clinician = selectors.clinician_get_for_user(user=user, clinician_id=clinician_id)
    elif token:
        clinician = _clinician_by_token(clinician_id, token)
    elif not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    else:
        raise Http404("No such calendar")
    events = selectors.calendar_events_for(
        clinician=clinician, since=timezone.now() - _FEED_HISTORY
    )
    body = render_calendar(events, name="otclinic schedule")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schedule.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
