"""The web shell: home by role, patient search, the chart. Thin: parse, select, render."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_of, require, user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care import selectors as care_selectors
from otclinic.clinic.care import selectors_clinical as clinical_selectors
from otclinic.clinic.care import selectors_overview as overview_selectors
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.common.paging import Pager, paginate
from otclinic.clinic.patients import intake
from otclinic.clinic.patients import selectors as patient_selectors
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.forms import (
    ContactEditForm,
    ContactForm,
    DiagnosisForm,
    PatientForm,
)
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers import services as payer_services
from otclinic.clinic.payers.forms import CoverageForm
from otclinic.clinic.referrals import selectors as referral_selectors
from otclinic.clinic.referrals import services as referral_services
from otclinic.clinic.referrals.forms import PhysicianForm
from otclinic.clinic.scheduling import selectors as schedule_selectors
from otclinic.clinic.scheduling.day_rows import visit_rows_html
from otclinic.clinic.scheduling.selectors_day import VisitRow, day_counts, visit_rows
from otclinic.clinic.staff import selectors as staff_selectors
from otclinic.clinic.supervision import selectors as supervision_selectors
from otclinic.clinic.web.context import ota_educator
from otclinic.domain.access import Capability

CLINIC_DAY_PAGE = 25  # the desk's day on the home page, a page at a time
EXPIRING_SHOWN = 10  # credentials on the admin's home page, the soonest first


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user_may(user, Capability.PORTAL):
        return redirect("portal-home")
    if user.is_superuser and not user.organization_id:
        return redirect("admin:index")
    today = timezone.localdate()
    context: dict[str, Any] = {"today": today}
    writes = user_may(user, Capability.WRITE_TREATMENT_NOTE)
    may_cosign = user_may(user, Capability.COSIGN)
    educator = not may_cosign and ota_educator(request)
    if writes or may_cosign or educator:
        # The user's drafts and the notes waiting for their co-signature: one query.
        notes = care_selectors.home_notes_for_user(
            user=user, drafts=writes, cosign=may_cosign or educator, educator=educator
        )
        context["cosign_queue"] = notes.waiting
    if writes:
        context["caseload"] = caseload = visit_rows(
            schedule_selectors.caseload_for_user(user=user, day=today)
        )
        context["caseload_html"] = _visit_rows_html(request, caseload, mine=True)
        context["unsigned_notes"] = notes.drafts
        context["due_items"] = care_selectors.due_items_for_user(user=user, as_of=today)
    if not writes and user_may(user, Capability.SCHEDULE):
        context["clinic_day"] = pager = _clinic_day(request, today)
        context["clinic_day_rows"] = day = visit_rows(pager.rows)
        context["clinic_day_html"] = _visit_rows_html(request, day, mine=False)
    if user_may(user, Capability.MANAGE_STAFF):
        # The soonest first; the staff page lists them all.
        expiring = staff_selectors.expiring_credentials_for_admin(user=user, today=today)
        context["expiring"] = expiring[:EXPIRING_SHOWN]
        context["expiring_more"] = max(len(expiring) - EXPIRING_SHOWN, 0)
    elif user_may(user, Capability.WRITE_TREATMENT_NOTE):
        context["expiring"] = staff_selectors.expiring_credentials_for_clinician(
            user=user, today=today
        )
    context["supervision_row"] = supervision_selectors.own_status_for_user(user=user, as_of=today)
    return render(request, "web/home.html", context)


def _visit_rows_html(
    request: AuthenticatedHttpRequest, rows: list[VisitRow], *, mine: bool
) -> SafeString:
    return visit_rows_html(
        rows,
        mine=mine,
        can_schedule=user_may(request.user, Capability.SCHEDULE),
        csrf_token=get_token(request),
    )


def _clinic_day(request: AuthenticatedHttpRequest, today: Any) -> Pager:
    """The clinic's day a page at a time, opening on the page where the visits of the last hour
    and those to come begin (what the desk is checking in now)."""
    rows = schedule_selectors.clinic_day_for_user(user=request.user, day=today)
    count, earlier = day_counts(rows, before=timezone.now() - dt.timedelta(hours=1))
    default = earlier // CLINIC_DAY_PAGE + 1
    return paginate(
        request, rows, per_page=CLINIC_DAY_PAGE, param="day_page", default=default, count=count
    )


@login_required
@require_GET
def ping(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The layout and nothing else, for a signed-in user: the baseline page benchmarks compare
    every other page with (bench/pages.py), and a check that the app answers."""
    return render(request, "web/ping.html")


SEARCH_PAGE = 25  # matches shown a page at a time


@login_required
def patient_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found = patient_selectors.patient_search_for_user(user=request.user, query=query)
    pager = paginate(request, found, per_page=SEARCH_PAGE)
    template = "web/patient_search.html#results" if _is_htmx(request) else "web/patient_search.html"
    return render(request, template, {"query": query, "pager": pager})


@login_required
@require_http_methods(["GET", "POST"])
def patient_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.EDIT_DEMOGRAPHICS)
    org = organization_of(request.user)
    form = PatientForm(request.POST or None, organization=org)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            patient = intake.patient_register(
                user=request.user,
                data=form.cleaned_data,
                create_anyway=request.POST.get("create_anyway") == "yes",
            )
        except intake.PossibleDuplicates as exc:
            context["duplicates"] = exc.matches
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Patient saved with MRN {patient.mrn}.")
            return redirect("patient-chart", patient_id=patient.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/patient_new.html", context, status=status)


@login_required
def patient_chart(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    chart = patient_selectors.chart_for_user(user=request.user, patient_id=patient_id)
    context = {
        "chart": chart,
        # The diagnoses partial is also rendered alone (diagnosis_add): it reads only these two.
        "patient": chart.patient,
        "diagnoses": chart.diagnoses,
        "diagnosis_form": DiagnosisForm(),
        # The contacts partial is also rendered alone (contact_add, contact_edit).
        **_contacts_context(request, chart.patient, contacts=chart.contacts),
        "can_edit_coverage": user_may(request.user, Capability.EDIT_COVERAGE),
        "can_intake_referral": user_may(request.user, Capability.INTAKE_REFERRAL),
        "referrals_to_evaluate": clinical_selectors.referrals_to_evaluate(
            user=request.user, referrals=chart.referrals
        ),
    }
    return render(request, "web/chart.html", context)


@login_required
@require_GET
def patient_care_overview(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    """The chart's section on each episode: what is due, goals with plots, documents and the
    timeline. The chart loads it by htmx when it comes into view; without script its link opens
    it as a page of its own."""
    patient = patient_selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    saw([patient.pk], "episode overview")
    today = timezone.localdate()
    chart = overview_selectors.episodes_for_chart(user=request.user, patient=patient, as_of=today)
    context = {
        "patient": patient,
        # Per episode: the timeline, goals with plots, documents and the episode check's due list.
        "episode_overviews": overview_selectors.chart_overviews(
            chart, user=request.user, as_of=today
        ),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "web/chart_care.html#overview" if partial else "web/chart_care.html"
    return render(request, template, context)


@login_required
@require_POST
def diagnosis_add(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    form = DiagnosisForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            patient_services.diagnosis_add(user=request.user, patient=patient, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            form, status = DiagnosisForm(), 200
    if not _is_htmx(request) and status == 200:
        return redirect("patient-chart", patient_id=patient.pk)
    context = {"patient": patient, "diagnoses": patient.diagnoses.all(), "diagnosis_form": form}
    return render(request, "web/chart.html#diagnoses", context, status=status)


ADD_PREFIX, EDIT_PREFIX = "new-contact", "edit-contact"


def _contacts_context(
    request: HttpRequest, patient: Patient, *, contacts: Any = None, **forms: Any
) -> dict[str, Any]:
    return {
        "patient": patient,
        "contacts": patient.contacts.all() if contacts is None else contacts,
        "can_edit_contacts": user_may(request.user, Capability.EDIT_DEMOGRAPHICS),
        "contact_form": forms.get("contact_form") or ContactForm(prefix=ADD_PREFIX),
        "editing": forms.get("editing"),
        "edit_form": forms.get("edit_form"),
        "contact_saved": forms.get("contact_saved"),
    }


def _contacts_section(
    request: HttpRequest, patient: Patient, *, status: int = 200, **forms: Any
) -> HttpResponse:
    response = render(
        request,
        "web/chart.html#contacts",
        _contacts_context(request, patient, **forms),
        status=status,
    )
    if status == 200 and request.method == "POST":
        # The portal section of the chart offers the contacts: it reloads on this event.
        response["HX-Trigger"] = "contacts-changed"
    return response


@login_required
@require_POST
def contact_add(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    require(request.user, Capability.EDIT_DEMOGRAPHICS)
    form = ContactForm(request.POST, prefix=ADD_PREFIX)
    if form.is_valid():
        try:
            contact = patient_services.contact_add(
                user=request.user, patient=patient, data=form.cleaned_data
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            if not _is_htmx(request):
                return redirect(f"{reverse('patient-chart', args=[patient.pk])}#contacts")
            return _contacts_section(request, patient, contact_saved=contact)
    if not _is_htmx(request):
        context = _contacts_context(request, patient, contact_form=form)
        return render(request, "web/contact_edit.html", context, status=422)
    return _contacts_section(request, patient, status=422, contact_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, contact_id: str) -> HttpResponse:
    contact = patient_selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    require(request.user, Capability.EDIT_DEMOGRAPHICS)
    patient = contact.patient
    form = ContactEditForm(request.POST or None, instance=contact, prefix=EDIT_PREFIX)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                data, version = form.changes()
                saved = patient_services.contact_update(
                    user=request.user, contact=contact, data=data, version=version
                )
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                if not _is_htmx(request):
                    return redirect(f"{reverse('patient-chart', args=[patient.pk])}#contacts")
                return _contacts_section(request, patient, contact_saved=saved)
    if _is_htmx(request):
        return _contacts_section(request, patient, status=status, editing=contact, edit_form=form)
    context = _contacts_context(request, patient, editing=contact, edit_form=form)
    return render(request, "web/contact_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def coverage_new(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    require(request.user, Capability.EDIT_COVERAGE)
    form = CoverageForm(request.POST or None, organization_id=patient.organization_id)
    if request.method == "POST" and form.is_valid():
        try:
            payer_services.coverage_add(user=request.user, patient=patient, data=form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("patient-chart", patient_id=patient.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "patient": patient}
    return render(request, "web/coverage_new.html", context, status=status)


@login_required
def physician_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    physicians = referral_selectors.physicians_for_user(user=request.user)
    context = {
        "physicians": physicians,
        "can_add": user_may(request.user, Capability.INTAKE_REFERRAL),
    }
    return render(request, "web/physicians.html", context)


@login_required
def physician_detail(request: AuthenticatedHttpRequest, physician_id: str) -> HttpResponse:
    physician = referral_selectors.physician_get_for_user(
        user=request.user, physician_id=physician_id
    )
    return render(request, "web/physician.html", {"physician": physician})


@login_required
@require_http_methods(["GET", "POST"])
def physician_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.INTAKE_REFERRAL)
    form = PhysicianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            physician = referral_services.physician_create(
                user=request.user, data=form.cleaned_data
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("physician-detail", physician_id=physician.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/physician_new.html", {"form": form}, status=status)


# Paths under the JSON API answer its own 404 shape, never the site's page (docs/api.md).
API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return render(request, "web/error.html", {"title": "Not found", "status": 404}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    context = {"title": "Not allowed", "status": 403, "message": message}
    return render(request, "web/error.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context processors: the failure may be the database,
    # which looking up the signed-in user for the navigation would hit again.
    return render(
        None, "web/error.html", {"title": "Something went wrong", "status": 500}, status=500
    )
