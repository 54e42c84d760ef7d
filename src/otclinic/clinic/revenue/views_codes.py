"""The Billing codes page: otclinic's code table (searchable) and the clinic's own codes, which
billers and clinic admins add, change and remove.

Thin: parse the form, one selector, one service, render. htmx requests get the partial their
target names (`clinic-codes`, `shipped-codes`, `code-form`); a refused entry answers 422 with
the message on the field it names. Another organization's code answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.payers import selectors_codes as selectors
from otclinic.clinic.payers import services_codes as services
from otclinic.clinic.revenue.forms_codes import ClinicCodeForm
from otclinic.domain.access import Capability
from otclinic.domain.billing.rulebook import default_rulebook

LIST = "revenue/codes/list.html"
EDIT = "revenue/codes/edit.html"
LIST_PARTS = {"clinic-codes", "shipped-codes"}
MAX_QUERY = 100


def _htmx_target(request: HttpRequest) -> str | None:
    if request.headers.get("HX-Request") != "true":
        return None
    return request.headers.get("HX-Target")


def _list(
    request: AuthenticatedHttpRequest,
    *,
    form: ClinicCodeForm | None = None,
    status: int = 200,
    done: str = "",
) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    own = selectors.clinic_code_rows_for_user(user=request.user)
    context = {
        "query": query,
        "shipped": selectors.shipped_codes_for_user(user=request.user, query=query),
        "code_list": default_rulebook().code_list,
        "own": own,
        "replaced": {c.record.code for c in own if c.replaces_shipped},
        "may_manage": user_may(request.user, Capability.MANAGE_BILLING),
        "form": form or ClinicCodeForm(),
        "done": done,  # what a write just did, said in the partial htmx swaps in
    }
    target = _htmx_target(request)
    template = f"{LIST}#{target}" if target in LIST_PARTS else LIST
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def billing_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page (GET, `?q=` searches otclinic's table); POST adds or changes one code."""
    if request.method == "GET":
        return _list(request)
    require(request.user, Capability.MANAGE_BILLING)
    form = ClinicCodeForm(request.POST)
    code = _saved(request, form)
    if code is None:
        return _list(request, form=form, status=422)
    return _done(request, f"{code} is in the clinic's code table.")


def _saved(request: AuthenticatedHttpRequest, form: ClinicCodeForm) -> str | None:
    """Save the form's code through the service: its code, or None with the refusal on the form."""
    if not form.is_valid():
        return None
    try:
        record = services.clinic_code_save(user=request.user, **form.cleaned_data)
    except ValidationFailed as exc:
        add_errors(form, exc)
        return None
    return record.code


def _done(request: AuthenticatedHttpRequest, said: str) -> HttpResponse:
    """After a write: htmx gets the clinic's codes again saying what was done; others the page."""
    if _htmx_target(request):
        return _list(request, done=said)
    messages.success(request, said)
    return redirect("billing-codes")


@login_required
@require_http_methods(["GET", "POST"])
def billing_code_edit(request: AuthenticatedHttpRequest, billing_code_id: str) -> HttpResponse:
    """One of the clinic's codes in its form (GET); POST saves the change."""
    record = selectors.clinic_code_get_for_user(user=request.user, code_id=billing_code_id)
    if request.method == "GET":
        return render(request, EDIT, {"record": record, "form": ClinicCodeForm(record=record)})
    require(request.user, Capability.MANAGE_BILLING)
    form = ClinicCodeForm(request.POST, record=record)
    if _saved(request, form):
        messages.success(request, f"{record.code} was changed.")
        if _htmx_target(request):
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("billing-codes")})
        return redirect("billing-codes")
    template = f"{EDIT}#code-form" if _htmx_target(request) else EDIT
    return render(request, template, {"record": record, "form": form}, status=422)


@login_required
@require_POST
def billing_code_remove(request: AuthenticatedHttpRequest, billing_code_id: str) -> HttpResponse:
    record = selectors.clinic_code_get_for_user(user=request.user, code_id=billing_code_id)
    services.clinic_code_remove(user=request.user, code=record.code)
    return _done(request, f"{record.code} was removed from the clinic's code table.")
