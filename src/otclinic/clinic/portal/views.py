"""The portal's pages for patients and caregivers. Thin: check the grant, select, render.

Every page of a patient's record asks `access.grant_get` first, so an access or consent that
ended since the last click shows the plain "your access has ended" page and nothing else.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.messaging.portal import portal_threads_for
from otclinic.clinic.patients.models import PortalScope
from otclinic.clinic.portal import selectors
from otclinic.clinic.portal.access import (
    AccessEnded,
    ScopeNotShared,
    grant_get,
    portal_home_for,
)


def portal_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in, and an ended access or an unshared section answers with a plain page."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except AccessEnded:
            return render(request, "portal/ended.html", status=403)
        except ScopeNotShared:
            return render(request, "portal/not_shared.html", status=403)

    return wrapped


@portal_page
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    portal = portal_home_for(user=request.user)
    if portal.ended:
        return render(request, "portal/ended.html", status=403)
    return render(request, "portal/home.html", {"grants": portal.grants})


@portal_page
def patient(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    grant = grant_get(user=request.user, patient_id=patient_id)
    context: dict[str, Any] = {"grant": grant, "patient": grant.patient, "shares": grant.shares()}
    if grant.may(PortalScope.APPOINTMENTS):
        context["next_visits"] = selectors.appointments_for(grant, now=timezone.now(), limit=3)
    if grant.may(PortalScope.MESSAGES):
        summaries = portal_threads_for(user=request.user, patient=grant.patient)
        context["unread"] = sum(s.unread for s in summaries)
    return render(request, "portal/patient.html", context)


@portal_page
def goals(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    grant = grant_get(user=request.user, patient_id=patient_id, scope=PortalScope.GOALS)
    context = {"grant": grant, "patient": grant.patient, "episodes": selectors.goals_for(grant)}
    return render(request, "portal/goals.html", context)


@portal_page
def home_program(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    grant = grant_get(user=request.user, patient_id=patient_id, scope=PortalScope.HOME_PROGRAM)
    context = {
        "grant": grant,
        "patient": grant.patient,
        "documents": selectors.documents_for(grant),
    }
    return render(request, "portal/home_program.html", context)


@portal_page
def document_download(
    request: AuthenticatedHttpRequest, patient_id: str, document_id: str
) -> FileResponse:
    grant = grant_get(
        user=request.user, patient_id=patient_id, scope=PortalScope.HOME_PROGRAM, detail="document"
    )
    document = selectors.document_open(grant, document_id=document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=False,
        filename=f"{document.kind}.pdf",
        content_type="application/pdf",
    )


@portal_page
def appointments(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    grant = grant_get(user=request.user, patient_id=patient_id, scope=PortalScope.APPOINTMENTS)
    context = {
        "grant": grant,
        "patient": grant.patient,
        "appointments": selectors.appointments_for(grant, now=timezone.now()),
    }
    return render(request, "portal/appointments.html", context)
