"""Booking pages: one appointment, or the plan of care's series (preview, then confirm).

A refused booking answers 422 with the form again and every reason next to the field it is
about (the clinician, patient or room that is double-booked; the date outside the
certification; the visit past the authorization; the lapsed credential). Nothing is written.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.forms import AppointmentForm, SeriesForm, refusal_field
from otclinic.clinic.scheduling.services import BookingRefused
from otclinic.clinic.scheduling.views_calendar import is_htmx
from otclinic.domain.access import Capability


def add_refusals(form: BaseForm, exc: BookingRefused) -> None:
    """Put each refusal next to the field it names (or above the form)."""
    for reason in exc.reasons:
        form.add_error(refusal_field(reason, form.fields), reason)


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.SCHEDULE)
    form = AppointmentForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(user=request.user, **form.booking())
        except BookingRefused as exc:
            add_refusals(form, exc)
        else:
            messages.success(request, "Appointment booked.")
            return redirect("scheduling:appointment", appointment_id=appointment.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "scheduling/book.html", {"form": form}, status=status)


def _series_context(form: SeriesForm) -> tuple[dict[str, Any], int]:
    """The preview of a valid form: the plan, the dates, those skipped; 422 if it cannot be."""
    data = form.cleaned_data
    try:
        plan, series = services.series_dates(
            episode=data["episode"], weekdays=data["weekdays"], start_date=data["start_date"]
        )
    except BookingRefused as exc:
        add_refusals(form, exc)
        return {"form": form}, 422
    if not series.dates:
        form.add_error("start_date", "no session date falls within the plan's certification")
        return {"form": form}, 422
    preview = {"plan": plan, "series": series, "episode": data["episode"]}
    return {"form": form, "preview": preview}, 200


@login_required
@require_http_methods(["GET", "POST"])
def book_series(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form. POST "preview": the dates it would book. POST "confirm": book them all."""
    require(request.user, Capability.SCHEDULE)
    form = SeriesForm(request.POST or None, user=request.user, initial=request.GET.dict())
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            context, status = {"form": form}, 422
        else:
            context, status = _series_context(form)
            if status == 200 and request.POST.get("action") == "confirm":
                return _confirm_series(request, form, context)
    template = "scheduling/series.html"
    if is_htmx(request):
        template += "#series-form"
    return render(request, template, context, status=status)


def _confirm_series(
    request: AuthenticatedHttpRequest, form: SeriesForm, context: dict[str, Any]
) -> HttpResponse:
    """Book the whole series (a plain form post: the answer is a new page, not a fragment)."""
    data = form.cleaned_data
    try:
        booked = services.appointments_book_series(
            user=request.user,
            episode=data["episode"],
            weekdays=data["weekdays"],
            start_date=data["start_date"],
            time=data["time"],
            minutes=data["minutes"],
            clinician=data["clinician"],
            room=data["room"],
        )
    except BookingRefused as exc:
        context["refusals"] = exc.reasons
        return render(request, "scheduling/series.html", context, status=422)
    messages.success(request, f"Booked {len(booked)} appointments from the plan of care.")
    first = booked[0]
    day = timezone.localdate(first.starts_at).isoformat()
    return redirect(f"{reverse('scheduling:week')}?day={day}&clinician={first.clinician_id}")


@login_required
@require_GET
def patient_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The booking picker's matches (an htmx fragment): radio buttons, the chosen one kept."""
    found = sel.patients_search_for_user(user=request.user, query=request.GET.get("patient_q", ""))
    chosen = sel.patient_chosen_for_user(user=request.user, patient_id=request.GET.get("patient"))
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    context = {"patients": found, "chosen": chosen.pk if chosen else ""}
    return render(request, "scheduling/_patient_picker.html#patient-results", context)
