"""Fieldwork pages: the placements list, a new placement, a placement with hours and evaluations.

Thin: one selector, one service, render. Invalid input answers 422 with the form's errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.fieldwork import selectors, services
from otclinic.clinic.fieldwork.adapters import placement_progress
from otclinic.clinic.fieldwork.forms import EvaluationForm, HoursForm, PlacementForm
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.domain.access import Capability


@login_required
def placement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    placements = selectors.placements_for_user(user=request.user)
    context = {
        "placements": placements,
        "may_add": user_may(request.user, Capability.MANAGE_STAFF),
    }
    return render(request, "fieldwork/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def placement_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_STAFF)
    form = PlacementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Placement added; the educator co-signs the student's notes.")
            return redirect("fieldwork-placement", placement_id=placement.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "fieldwork/new.html", {"form": form}, status=status)


@login_required
def placement_detail(request: AuthenticatedHttpRequest, placement_id: str) -> HttpResponse:
    placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
    return _detail(request, placement)


def _detail(
    request: HttpRequest,
    placement: FieldworkPlacement,
    *,
    hours_form: HoursForm | None = None,
    evaluation_form: EvaluationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "placement": placement,
        "progress": placement_progress(placement),
        "hours": placement.hours.all(),
        "evaluations": placement.evaluations.select_related("evaluator__user"),
        "hours_form": hours_form or HoursForm(),
        "evaluation_form": evaluation_form or EvaluationForm(),
    }
    return render(request, "fieldwork/placement.html", context, status=status)


@login_required
@require_POST
def hours_add(request: AuthenticatedHttpRequest, placement_id: str) -> HttpResponse:
    placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.hours_log(user=request.user, placement=placement, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Hours logged.")
            return redirect("fieldwork-placement", placement_id=placement.pk)
    return _detail(request, placement, hours_form=form, status=422)


@login_required
@require_POST
def evaluation_add(request: AuthenticatedHttpRequest, placement_id: str) -> HttpResponse:
    placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_record(user=request.user, placement=placement, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Evaluation recorded.")
            return redirect("fieldwork-placement", placement_id=placement.pk)
    return _detail(request, placement, evaluation_form=form, status=422)
