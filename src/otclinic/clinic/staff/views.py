"""Staff credential pages: the clinic admin's list, each clinician's page, and the add forms.

Thin: one selector, one service, render. htmx requests get the `records` partial of the staff
page (or `settings` of the list); invalid input answers 422 with the form's errors.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.staff import selectors, services_nbcot, services_records
from otclinic.clinic.staff.forms import (
    CeActivityForm,
    CeRequirementForm,
    CertificateForm,
    CertificateTypeForm,
    LicenseForm,
    NbcotForm,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability


def _staff_only(request: HttpRequest) -> None:
    if user_may(request.user, Capability.PORTAL):
        raise PermissionDenied("your role may not open staff pages")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clinic admin's list; anyone else is taken to their own credentials."""
    _staff_only(request)
    if not user_may(request.user, Capability.MANAGE_STAFF):
        return redirect("staff-me")
    return _list(request)


def _list(request: AuthenticatedHttpRequest, *, status: int = 200, **forms: Form) -> HttpResponse:
    org_id = organization_id_of(request.user)
    context = {
        "overviews": selectors.staff_overviews_for_admin(
            user=request.user, today=timezone.localdate()
        ),
        "certificate_types": selectors.certificate_types(org_id=org_id),
        "requirements": selectors.ce_requirements(org_id=org_id),
        "type_form": forms.get("type_form") or CertificateTypeForm(),
        "requirement_form": forms.get("requirement_form") or CeRequirementForm(),
    }
    template = "staff/list.html#settings" if _is_htmx(request) else "staff/list.html"
    return render(request, template, context, status=status)


@login_required
def staff_me(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff_only(request)
    staff = selectors.own_profile(user=request.user)
    return redirect("staff-detail", staff_id=staff.pk)


@login_required
def staff_detail(request: AuthenticatedHttpRequest, staff_id: str) -> HttpResponse:
    _staff_only(request)
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id)
    return _detail(request, staff)


def _detail(
    request: HttpRequest, staff: StaffProfile, *, status: int = 200, **forms: Form
) -> HttpResponse:
    org_id = staff.organization_id
    context = {
        "staff": staff,
        "overview": selectors.staff_overview(staff=staff, today=timezone.localdate()),
        **selectors.staff_records(staff=staff),
        "may_manage": user_may(request.user, Capability.MANAGE_STAFF),
        "own": staff.user_id == request.user.pk,
        "license_form": forms.get("license_form") or LicenseForm(),
        "nbcot_form": forms.get("nbcot_form") or _nbcot_initial(staff),
        "certificate_form": forms.get("certificate_form") or CertificateForm(org_id=org_id),
        "ce_form": forms.get("ce_form") or CeActivityForm(),
    }
    template = "staff/detail.html#records" if _is_htmx(request) else "staff/detail.html"
    return render(request, template, context, status=status)


def _record_post(
    request: AuthenticatedHttpRequest,
    staff_id: str,
    *,
    key: str,
    make_form: Callable[[Any], Form],
    write: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """Validate one add form for a staff member, write it, and answer with their page."""
    _staff_only(request)
    staff = selectors.staff_get_for_user(user=request.user, staff_id=staff_id)
    form = make_form(staff)
    if form.is_valid():
        try:
            write(user=request.user, staff=staff, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            if _is_htmx(request):
                return _detail(request, staff)
            messages.success(request, done)
            return redirect("staff-detail", staff_id=staff.pk)
    return _detail(request, staff, status=422, **{key: form})


@login_required
@require_POST
def license_add(request: AuthenticatedHttpRequest, staff_id: str) -> HttpResponse:
    require(request.user, Capability.MANAGE_STAFF)
    return _record_post(
        request,
        staff_id,
        key="license_form",
        make_form=lambda staff: LicenseForm(request.POST),
        write=services_records.license_add,
        done="License recorded.",
    )


def _nbcot_initial(staff: StaffProfile) -> NbcotForm:
    credential = {"OT": "OTR", "OTA": "COTA"}.get(staff.user.role, staff.nbcot_credential)
    return NbcotForm(initial={"nbcot_credential": credential, "nbcot_number": staff.nbcot_number})


@login_required
@require_POST
def nbcot_record(request: AuthenticatedHttpRequest, staff_id: str) -> HttpResponse:
    """Record or renew the NBCOT certification (clinic admins only)."""
    require(request.user, Capability.MANAGE_STAFF)
    return _record_post(
        request,
        staff_id,
        key="nbcot_form",
        make_form=lambda staff: NbcotForm(request.POST),
        write=lambda **kw: services_nbcot.nbcot_record(today=timezone.localdate(), **kw),
        done="NBCOT certification recorded.",
    )


@login_required
@require_POST
def certificate_add(request: AuthenticatedHttpRequest, staff_id: str) -> HttpResponse:
    return _record_post(
        request,
        staff_id,
        key="certificate_form",
        make_form=lambda staff: CertificateForm(request.POST, org_id=staff.organization_id),
        write=services_records.certificate_add,
        done="Certificate recorded.",
    )


@login_required
@require_POST
def ce_activity_add(request: AuthenticatedHttpRequest, staff_id: str) -> HttpResponse:
    return _record_post(
        request,
        staff_id,
        key="ce_form",
        make_form=lambda staff: CeActivityForm(request.POST),
        write=services_records.ce_activity_add,
        done="Continuing-education activity recorded.",
    )


def _settings_post(
    request: AuthenticatedHttpRequest, *, key: str, form: Form, write: Callable[..., Any], done: str
) -> HttpResponse:
    _staff_only(request)
    require(request.user, Capability.MANAGE_STAFF)
    if form.is_valid():
        try:
            write(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            if _is_htmx(request):
                return _list(request)
            messages.success(request, done)
            return redirect("staff-list")
    return _list(request, status=422, **{key: form})


@login_required
@require_POST
def certificate_type_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _settings_post(
        request,
        key="type_form",
        form=CertificateTypeForm(request.POST),
        write=services_records.certificate_type_add,
        done="Certificate type saved.",
    )


@login_required
@require_POST
def ce_requirement_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _settings_post(
        request,
        key="requirement_form",
        form=CeRequirementForm(request.POST),
        write=services_records.ce_requirement_set,
        done="Continuing-education requirement saved.",
    )
