"""The waitlist: who wants an earlier or extra slot, and when it would suit them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling import services_desk
from otclinic.clinic.scheduling.forms import WaitlistForm
from otclinic.domain.access import Capability


@login_required
@require_http_methods(["GET", "POST"])
def waitlist(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the waiting entries and the form to add one. POST: add the entry."""
    require(request.user, Capability.SCHEDULE)
    form = WaitlistForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_desk.waitlist_add(
                user=request.user,
                patient=data["patient"],
                clinician=data["clinician"],
                weekdays=data["weekdays"],
                preferred_from=data["preferred_from"],
                preferred_until=data["preferred_until"],
            )
        except ValidationFailed as exc:
            for field, texts in exc.errors.items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, f"{data['patient']} is on the waitlist.")
            return redirect("scheduling:waitlist")
    context = {"form": form, "entries": sel.waitlist_for_user(user=request.user)}
    status = 422 if request.method == "POST" else 200
    return render(request, "scheduling/waitlist.html", context, status=status)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, waitlist_entry_id: str) -> HttpResponse:
    entry = sel.waitlist_entry_get_for_user(user=request.user, waitlist_entry_id=waitlist_entry_id)
    services_desk.waitlist_withdraw(user=request.user, entry=entry)
    messages.success(request, f"{entry.patient} is off the waitlist.")
    return redirect("scheduling:waitlist")
