"""Supervision pages: the supervisor's dashboard and one OTA's supervision, with its forms.

Thin: one selector, one service, render. Invalid input answers 422 with the form's errors; an
htmx request gets the form's partial, a plain one the whole page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.common.paging import paginate
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision import selectors, services
from otclinic.clinic.supervision.forms import ContactForm, HoursForm, PlanForm, SupervisorForm
from otclinic.domain.access import Capability


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    otas, count = selectors.dashboard_otas(user=user, as_of=today)
    pager = paginate(request, otas, count=count)
    rows = selectors.dashboard_rows(pager.rows, as_of=today)
    context = {
        "today": today,
        "pager": pager,
        "rows": rows,
        "judged_at": min((row.judged_at for row in rows if row.judged_at), default=None),
        "is_admin": user_may(user, Capability.MANAGE_STAFF),
        "may_supervise": selectors.may_view_notes(user),
    }
    # The notes waiting and returned are a page of their own (`dashboard_notes`), loaded
    # into the dashboard by htmx after it shows, with a link for a browser without script.
    return render(request, "supervision/dashboard.html", context)


@login_required
def dashboard_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supervisee notes waiting for co-signature and those returned: the dashboard's
    second section (htmx gets the section alone, a plain request the page)."""
    user = request.user
    if not selectors.may_view_notes(user):
        raise PermissionDenied("your role may not supervise assistants")
    context = {
        "is_admin": user_may(user, Capability.MANAGE_STAFF),
        "cosign_waiting": selectors.note_links(selectors.cosign_waiting_for_user(user=user)),
        "returned": selectors.note_links(selectors.returned_notes_for_user(user=user)),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "supervision/notes.html" + ("#notes" if partial else "")
    return render(request, template, context)


@login_required
def ota_page(request: AuthenticatedHttpRequest, ota_id: str) -> HttpResponse:
    ota = selectors.ota_get_for_user(user=request.user, ota_id=ota_id)
    return _page(request, ota)


def _page(
    request: AuthenticatedHttpRequest, ota: StaffProfile, *, form_name: str = "", form: Any = None
) -> HttpResponse:
    user = request.user
    forms = {
        "contact_form": ContactForm(
            user=user, ota=ota, initial={"contact_on": timezone.localdate()}
        ),
        "plan_form": PlanForm(user=user, initial=_plan_initial(ota)),
        "hours_form": HoursForm(initial={"month": timezone.localdate()}),
        "supervisor_form": SupervisorForm(
            user=user, initial={"supervising_ot": ota.supervising_ot}
        ),
    }
    # The contact form lists the OTA's caseload by name: the page shows those patients.
    contact_form: Any = forms["contact_form"] if form_name != "contact_form" else form
    saw([pk for pk, _ in contact_form.fields["patients"].widget.choices], "supervision")
    status = 200
    if form is not None:
        forms[form_name] = form
        status = 422
        if request.headers.get("HX-Request") == "true":
            partial = form_name.removesuffix("_form").replace("_", "-") + "-form"
            context = {"ota": ota, form_name: form}
            return render(request, f"supervision/ota.html#{partial}", context, status=422)
    context = {
        "ota": ota,
        "detail": selectors.ota_detail(ota=ota, as_of=timezone.localdate()),
        "may_supervise": services.may_supervise(user, ota),
        "is_admin": user_may(user, Capability.MANAGE_STAFF),
        **forms,
    }
    return render(request, "supervision/ota.html", context, status=status)


def _plan_initial(ota: StaffProfile) -> dict[str, Any]:
    return {
        "supervising_ot": ota.supervising_ot,
        "effective_from": timezone.localdate(),
        "by_in_person": True,
        "notes_cosigned": "yes",
    }


def _done(request: HttpRequest, ota: StaffProfile, text: str) -> HttpResponse:
    messages.success(request, text)
    response: HttpResponse = redirect("supervision-ota", ota_id=ota.pk)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
    return response


@login_required
@require_POST
def contact_add(request: AuthenticatedHttpRequest, ota_id: str) -> HttpResponse:
    ota = selectors.ota_get_for_user(user=request.user, ota_id=ota_id)
    form = ContactForm(request.POST, user=request.user, ota=ota)
    if form.is_valid():
        supervisor = getattr(request.user, "staff_profile", None)
        if user_may(request.user, Capability.MANAGE_STAFF):
            supervisor = ota.supervising_ot
        try:
            services.contact_log(
                user=request.user, ota=ota, supervisor=supervisor, **form.cleaned_data
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return _done(request, ota, "Supervision contact logged.")
    return _page(request, ota, form_name="contact_form", form=form)


@login_required
@require_POST
def plan_add(request: AuthenticatedHttpRequest, ota_id: str) -> HttpResponse:
    ota = selectors.ota_get_for_user(user=request.user, ota_id=ota_id)
    form = PlanForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.plan_record(user=request.user, ota=ota, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return _done(request, ota, "Supervision plan recorded.")
    return _page(request, ota, form_name="plan_form", form=form)


@login_required
@require_POST
def hours_add(request: AuthenticatedHttpRequest, ota_id: str) -> HttpResponse:
    ota = selectors.ota_get_for_user(user=request.user, ota_id=ota_id)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.hours_record(user=request.user, ota=ota, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return _done(request, ota, "Timesheet hours recorded.")
    return _page(request, ota, form_name="hours_form", form=form)


@login_required
@require_POST
def supervisor_set(request: AuthenticatedHttpRequest, ota_id: str) -> HttpResponse:
    ota = selectors.ota_get_for_user(user=request.user, ota_id=ota_id)
    form = SupervisorForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.supervisor_assign(
                user=request.user, ota=ota, supervisor=form.cleaned_data["supervising_ot"]
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return _done(request, ota, "Supervising OT assigned.")
    return _page(request, ota, form_name="supervisor_form", form=form)
