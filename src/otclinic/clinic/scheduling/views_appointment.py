"""One appointment: check in, cancel or mark a no-show with a reason, offer the freed slot
to the waitlist ("book from waitlist" puts that patient into it), and undo a cancellation or
a no-show while that is still allowed."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling import services, services_desk, services_undo
from otclinic.clinic.scheduling.forms import OutcomeForm
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.scheduling.services import BookingRefused, CancelRefused


def _detail(
    request: HttpRequest,
    appointment: Appointment,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    context = {
        "appointment": appointment,
        "cancel_form": OutcomeForm(),
        "no_show_form": OutcomeForm(no_show=True),
        "offers": sel.freed_slot_offers(appointment=appointment),
        "undo_refusal": services_undo.undo_refusal(appointment),
    } | context
    return render(request, "scheduling/appointment.html", context, status=status)


@login_required
@require_GET
def appointment_detail(request: AuthenticatedHttpRequest, appointment_id: str) -> HttpResponse:
    appointment = sel.appointment_get_for_user(user=request.user, appointment_id=appointment_id)
    return _detail(request, appointment)


@login_required
@require_POST
def check_in(request: AuthenticatedHttpRequest, appointment_id: str) -> HttpResponse:
    appointment = sel.appointment_get_for_user(user=request.user, appointment_id=appointment_id)
    try:
        services_desk.appointment_check_in(user=request.user, appointment=appointment)
    except services_desk.CheckInRefused as exc:
        return _detail(request, appointment, status=422, refusal=str(exc))
    messages.success(request, "Checked in.")
    return redirect("scheduling:appointment", appointment_id=appointment.pk)


def _outcome(
    request: AuthenticatedHttpRequest, appointment_id: str, *, no_show: bool
) -> HttpResponse:
    appointment = sel.appointment_get_for_user(user=request.user, appointment_id=appointment_id)
    form = OutcomeForm(request.POST, no_show=no_show)
    form_name = "no_show_form" if no_show else "cancel_form"
    if form.is_valid():
        try:
            services.appointment_cancel(
                user=request.user,
                appointment=appointment,
                reason=form.reason_text(),
                no_show=no_show,
            )
        except CancelRefused as exc:
            return _detail(request, appointment, status=422, refusal=str(exc))
        else:
            done = "Marked as a no-show" if no_show else "Cancelled"
            messages.success(request, f"{done}. The freed slot is offered to the waitlist below.")
            return redirect("scheduling:appointment", appointment_id=appointment.pk)
    return _detail(request, appointment, status=422, **{form_name: form})


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, appointment_id: str) -> HttpResponse:
    return _outcome(request, appointment_id, no_show=False)


@login_required
@require_POST
def no_show(request: AuthenticatedHttpRequest, appointment_id: str) -> HttpResponse:
    return _outcome(request, appointment_id, no_show=True)


@login_required
@require_POST
def book_from_waitlist(
    request: AuthenticatedHttpRequest, appointment_id: str, waitlist_entry_id: str
) -> HttpResponse:
    freed = sel.appointment_get_for_user(user=request.user, appointment_id=appointment_id)
    entry = sel.waitlist_entry_get_for_user(user=request.user, waitlist_entry_id=waitlist_entry_id)
    try:
        booked = services_desk.appointment_book_from_waitlist(
            user=request.user, freed=freed, entry=entry
        )
    except BookingRefused as exc:
        return _detail(request, freed, status=422, offer_refusals=exc.reasons, refused_entry=entry)
    messages.success(request, f"Booked {entry.patient} into the freed slot from the waitlist.")
    return redirect("scheduling:appointment", appointment_id=booked.pk)


@login_required
@require_POST
def undo_cancel(request: AuthenticatedHttpRequest, appointment_id: str) -> HttpResponse:
    appointment = sel.appointment_get_for_user(user=request.user, appointment_id=appointment_id)
    undone = "Cancellation undone" if appointment.status != "no_show" else "No-show undone"
    try:
        services_undo.appointment_undo_cancel(user=request.user, appointment=appointment)
    except BookingRefused as exc:
        return _detail(request, appointment, status=422, undo_refusals=exc.reasons)
    messages.success(request, f"{undone}: the appointment is scheduled again.")
    return redirect("scheduling:appointment", appointment_id=appointment.pk)
