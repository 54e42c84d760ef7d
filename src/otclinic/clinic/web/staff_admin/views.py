"""The clinic admin's staff pages: add (and invite), edit, deactivate, reactivate, and hand a
deactivated clinician's caseload to another. Thin: parse, one service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.staff.selectors import staff_get_for_user
from otclinic.clinic.staff.services_admin import (
    StaffDetails,
    staff_add,
    staff_edit,
    staff_set_active,
)
from otclinic.clinic.web.staff_admin import services
from otclinic.clinic.web.staff_admin.forms import ReassignForm, StaffForm
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role


def _details(form: StaffForm) -> StaffDetails:
    data = form.cleaned_data
    return StaffDetails(
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        role=Role(data["role"]),
        credentials=data["credentials"],
        npi=data["npi"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_admin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everyone on the staff, active or not, and the form to add one."""
    require(request.user, Capability.MANAGE_STAFF)
    form = StaffForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                staff = staff_add(user=request.user, details=_details(form))
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"{staff} was added and invited by email.")
                return redirect("staff-admin-detail", staff_id=staff.pk)
        status = 422
    people = (
        StaffProfile.objects.for_org(organization_id_of(request.user))
        .select_related("user")
        .order_by("-active", "user__last_name", "user__first_name")
    )
    return render(
        request, "web/staff_admin/list.html", {"form": form, "people": people}, status=status
    )


def _detail(
    request: AuthenticatedHttpRequest, staff: StaffProfile, *, status: int = 200, **forms: Any
) -> HttpResponse:
    member = staff.user
    context = {
        "staff": staff,
        "work": services.open_work(staff),
        "appointments": services.future_appointments(staff)[:25],
        "episodes": services.open_episodes(staff)[:25],
        "assistants": services.supervised(staff),
        "placements": services.educated_placements(staff, timezone.localdate()),
        "form": forms.get("form")
        or StaffForm(
            initial={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": member.email,
                "role": member.role,
                "credentials": staff.credentials,
                "npi": staff.npi,
            }
        ),
        "reassign": forms.get("reassign") or ReassignForm(staff=staff),
    }
    return render(request, "web/staff_admin/detail.html", context, status=status)


def _staff(request: AuthenticatedHttpRequest, staff_id: Any) -> StaffProfile:
    require(request.user, Capability.MANAGE_STAFF)
    return staff_get_for_user(user=request.user, staff_id=staff_id)


@login_required
@require_http_methods(["GET", "POST"])
def staff_admin_detail(request: AuthenticatedHttpRequest, staff_id: Any) -> HttpResponse:
    staff = _staff(request, staff_id)
    if request.method == "GET":
        return _detail(request, staff)
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            staff_edit(user=request.user, staff=staff, details=_details(form))
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("staff-admin-detail", staff_id=staff.pk)
    return _detail(request, staff, status=422, form=form)


@login_required
@require_POST
def staff_admin_active(request: AuthenticatedHttpRequest, staff_id: Any) -> HttpResponse:
    staff = _staff(request, staff_id)
    active = request.POST.get("active") == "1"
    try:
        staff_set_active(user=request.user, staff=staff, active=active)
    except ValidationFailed as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
        return _detail(request, staff, status=422)
    messages.success(request, f"{staff} is {'active again' if active else 'deactivated'}.")
    return redirect("staff-admin-detail", staff_id=staff.pk)


@login_required
@require_POST
def staff_admin_reassign(request: AuthenticatedHttpRequest, staff_id: Any) -> HttpResponse:
    staff = _staff(request, staff_id)
    form = ReassignForm(request.POST, staff=staff)
    if form.is_valid():
        try:
            work = services.caseload_reassign(
                user=request.user, leaving=staff, to=form.cleaned_data["to"]
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Handed to {form.cleaned_data['to']}: {work.appointments} appointments, "
                f"{work.episodes} episodes, {work.assistants} assistants.",
            )
            return redirect("staff-admin-detail", staff_id=staff.pk)
    return _detail(request, staff, status=422, reassign=form)
