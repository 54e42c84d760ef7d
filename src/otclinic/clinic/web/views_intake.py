"""Editing what intake recorded: a patient's demographics and a coverage with its
authorizations. Each save is one service call (one transaction) that refuses to overwrite a
change someone else saved after the form was opened."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of, organization_of, require
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.patients import mrn
from otclinic.clinic.patients import selectors as patient_selectors
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.forms import MrnPatternForm, PatientEditForm
from otclinic.clinic.payers import selectors as payer_selectors
from otclinic.clinic.payers import services as payer_services
from otclinic.clinic.payers.forms import AuthorizationFormSet, CoverageEditForm
from otclinic.domain.access import Capability


@login_required
@require_http_methods(["GET", "POST"])
def patient_edit(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    require(request.user, Capability.EDIT_DEMOGRAPHICS)
    form = PatientEditForm(
        request.POST or None, instance=patient, organization=organization_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data, version = form.changes()
        try:
            patient_services.patient_update(
                user=request.user, patient=patient, data=data, version=version
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Demographics saved.")
            return redirect("patient-chart", patient_id=patient.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "patient": patient}
    return render(request, "web/patient_edit.html", context, status=status)


AUTHORIZATION_FIELDS = payer_services.AUTHORIZATION_FIELDS


def _authorization_changes(formset: Any) -> list[payer_services.AuthorizationChange]:
    changes = []
    for form in formset.forms:
        # A new row's instance has its (default) id already: it is new until it is saved.
        new = form.instance._state.adding
        if new and not form.has_changed():
            continue  # the blank row left blank
        data = {k: v for k, v in form.cleaned_data.items() if k in AUTHORIZATION_FIELDS}
        changes.append(
            payer_services.AuthorizationChange(
                data=data,
                authorization=None if new else form.instance,
                remove=bool(form.cleaned_data.get("DELETE")),
            )
        )
    return changes


@login_required
@require_http_methods(["GET", "POST"])
def coverage_edit(request: AuthenticatedHttpRequest, coverage_id: str) -> HttpResponse:
    coverage = payer_selectors.coverage_get_for_user(user=request.user, coverage_id=coverage_id)
    require(request.user, Capability.EDIT_COVERAGE)
    post = request.POST or None
    form = CoverageEditForm(post, instance=coverage, organization_id=coverage.organization_id)
    formset = AuthorizationFormSet(post, instance=coverage, prefix="auth")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data, version = form.changes()
        try:
            payer_services.coverage_update(
                user=request.user,
                coverage=coverage,
                data=data,
                version=version,
                authorizations=_authorization_changes(formset),
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Coverage saved.")
            return redirect(f"{reverse('patient-chart', args=[coverage.patient_id])}#coverage")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "formset": formset, "coverage": coverage, "patient": coverage.patient}
    return render(request, "web/coverage_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mrn_pattern(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A clinic admin's page: the pattern new charts' MRNs follow."""
    require(request.user, Capability.MANAGE_STAFF)
    current = mrn.mrn_pattern_for(organization_id=organization_id_of(request.user))
    initial = {"prefix": current.prefix, "digits": current.digits}
    form = MrnPatternForm(
        request.POST or None, initial=initial | {"next_number": current.next_number}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = mrn.mrn_pattern_update(user=request.user, data=form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, f"Saved: the next new chart gets MRN {mrn.mrn_preview(saved)}."
            )
            return redirect("mrn-pattern")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "next_mrn": mrn.mrn_preview(current)}
    return render(request, "web/mrn_pattern.html", context, status=status)
