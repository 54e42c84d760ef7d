"""The staff's portal-access section of the chart: who may see the record, and how much.

The chart loads the section by htmx (`patient-portal-access`); each form posts back here and
gets the section again, with its errors (422) when the input was refused.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.portal import services, staff_selectors
from otclinic.clinic.portal.forms import ConsentForm, InviteForm
from otclinic.domain.access import Capability

SECTION = "portal/staff/access.html#section"


def _render(
    request: HttpRequest, patient: Patient, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "patient": patient,
        "overview": staff_selectors.access_overview(patient=patient),
        "can_manage": user_may(request.user, Capability.MANAGE_PORTAL),
        "invite_form": forms.get("invite_form") or InviteForm(patient=patient),
        "consent_form": forms.get("consent_form") or ConsentForm(patient=patient),
        "sent_to": forms.get("sent_to", ""),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = SECTION if partial else "portal/staff/access.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, patient: Patient, **extra: Any) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return _render(request, patient, **extra)
    return redirect("patient-portal-access", patient_id=patient.pk)


@login_required
def access_page(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = staff_selectors.patient_for_staff(user=request.user, patient_id=patient_id)
    return _render(request, patient)


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = staff_selectors.patient_for_staff(user=request.user, patient_id=patient_id)
    form = InviteForm(request.POST, patient=patient)
    if form.is_valid():
        try:
            invitation = services.portal_invite(
                user=request.user,
                patient=patient,
                contact=form.contact(),
                email=form.cleaned_data["email"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            sent_to = invitation.user.email if invitation.emailed else ""
            return _done(request, patient, sent_to=sent_to)
    return _render(request, patient, status=422, invite_form=form)


@login_required
@require_POST
def consent_record(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = staff_selectors.patient_for_staff(user=request.user, patient_id=patient_id)
    form = ConsentForm(request.POST, patient=patient)
    if form.is_valid():
        try:
            services.consent_record(user=request.user, patient=patient, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return _done(request, patient)
    return _render(request, patient, status=422, consent_form=form)


@login_required
@require_POST
def consent_revoke(request: AuthenticatedHttpRequest, consent_id: str) -> HttpResponse:
    consent = staff_selectors.consent_for_staff(user=request.user, consent_id=consent_id)
    services.consent_revoke(user=request.user, consent=consent)
    return _done(request, consent.patient)


@login_required
@require_POST
def access_revoke(request: AuthenticatedHttpRequest, access_id: str) -> HttpResponse:
    access = staff_selectors.access_for_staff(user=request.user, access_id=access_id)
    services.access_revoke(user=request.user, access=access)
    return _done(request, access.patient)
