"""The clinic admin's page: which findings of the review before signing block a note."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care import selectors_notes as selectors
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.access import Capability


@login_required
@require_http_methods(["GET", "POST"])
def note_review_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_STAFF)
    clinic = selectors.clinic_for_settings(
        user=request.user, clinic_id=request.POST.get("clinic") or request.GET.get("clinic")
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            svc.note_review_policy_set(
                user=request.user, clinic=clinic, blocking=request.POST.getlist("blocking")
            )
        except ValidationFailed as exc:
            errors = [m for ms in exc.errors.values() for m in ms]
        else:
            messages.success(request, f"Saved the review settings of {clinic.name}.")
            return redirect(f"{request.path}?clinic={clinic.pk}")
    context = {
        "clinic": clinic,
        "clinics": selectors.clinics_for_settings(user=request.user),
        "rules": selectors.review_settings_rows(clinic),
        "errors": errors,
    }
    return render(
        request, "care/notes/review_settings.html", context, status=422 if errors else 200
    )
