"""The applicant's page: the verification and onboarding checklists, moves and the hire.

Each form posts to its own URL and, on success, redirects back to the page; invalid input
re-renders the page with that form's errors (422).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.hiring import selectors, services, services_checks
from otclinic.clinic.hiring.adapters import applicant_checks
from otclinic.clinic.hiring.forms import (
    HireForm,
    LicenseClaimForm,
    LookupForm,
    MoveForm,
    NbcotClaimForm,
    NbcotForm,
    OnboardingDoneForm,
    ReferenceForm,
    ReferenceResultForm,
)
from otclinic.clinic.hiring.hire import applicant_hire, invitation_resend
from otclinic.clinic.hiring.models import Applicant
from otclinic.clinic.hiring.views import board_page
from otclinic.domain.hiring.checklist import hire_blockers, offer_blockers
from otclinic.domain.hiring.pipeline import ALLOWED_MOVES, PIPELINE_ORDER, Stage


@login_required
def applicant_detail(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    applicant = selectors.applicant_get_for_user(user=request.user, applicant_id=applicant_id)
    return _page(request, applicant, {})


def _page(
    request: HttpRequest, applicant: Applicant, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    checks = applicant_checks(applicant, on=today)
    moves = [s for s in PIPELINE_ORDER if s in ALLOWED_MOVES[applicant.stage_enum]]
    context = {
        "not_saved": [
            f"{form[name].label}: {text}" if name in form.fields else text
            for form in forms.values()
            for name, texts in form.errors.items()
            for text in texts
        ],
        "applicant": applicant,
        "posting": applicant.posting,
        "licenses": selectors.applicant_licenses(applicant),
        "nbcot_checks": applicant.nbcot_checks.select_related("verified_by"),
        "references": applicant.references.select_related("checked_by"),
        "onboarding": applicant.onboarding.select_related("done_by"),
        "moves": applicant.moves.select_related("moved_by"),
        "offer_blockers": offer_blockers(checks, on=today),
        "hire_blockers": hire_blockers(checks, on=today),
        "references_required": checks.references_required,
        "move_choices": [s for s in moves if s != Stage.HIRED],
        "is_hired": applicant.stage == Stage.HIRED,
        "may_hire": applicant.stage == Stage.OFFERED,
        "license_form": forms.get("license") or LicenseClaimForm(),
        "nbcot_claim_form": forms.get("nbcot_claim")
        or NbcotClaimForm(
            initial={
                "nbcot_credential": applicant.nbcot_credential,
                "nbcot_number": applicant.nbcot_number,
            }
        ),
        "nbcot_form": forms.get("nbcot")
        or NbcotForm(initial={"number": applicant.nbcot_number, "verified_on": today}),
        "lookup_form": forms.get("lookup") or LookupForm(applicant=applicant),
        "reference_form": forms.get("reference") or ReferenceForm(),
        "result_form": forms.get("result") or ReferenceResultForm(applicant=applicant),
        "move_form": forms.get("move") or MoveForm(),
        "hire_form": forms.get("hire") or HireForm(initial={"username": _suggest(applicant)}),
    }
    return render(request, "hiring/applicant.html", context, status=status)


@login_required
@require_POST
def applicant_move(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    """A move from the board (htmx: the board again) or from the applicant's page."""
    applicant = selectors.applicant_get_for_user(
        user=request.user, applicant_id=applicant_id, record_view=False
    )
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.stage_move(user=request.user, applicant=applicant, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
    if request.POST.get("from") == "board":
        texts = [text for texts in form.errors.values() for text in texts]
        return board_page(
            request,
            applicant.posting,
            refused={"id": applicant.pk, "messages": texts} if texts else None,
            status=422 if texts else 200,
            partial=bool(request.headers.get("HX-Request")),
        )
    if form.errors:
        return _page(request, applicant, {"move": form}, status=422)
    messages.success(request, f"Moved to {form.cleaned_data['to']}.")
    return redirect("hiring-applicant", applicant_id=applicant.pk)


def _suggest(applicant: Applicant) -> str:
    return f"{applicant.first_name}.{applicant.last_name}".lower().replace(" ", "")


def _action(
    request: AuthenticatedHttpRequest,
    applicant_id: str,
    *,
    key: str,
    form_class: Any,
    service: Any,
    done: str,
    needs_applicant: bool = False,
) -> HttpResponse:
    """Parse one checklist form, call its service, and redirect back (or 422 with the errors)."""
    applicant = selectors.applicant_get_for_user(
        user=request.user, applicant_id=applicant_id, record_view=False
    )
    kwargs = {"applicant": applicant} if needs_applicant else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            service(user=request.user, applicant=applicant, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("hiring-applicant", applicant_id=applicant.pk)
    return _page(request, applicant, {key: form}, status=422)


@login_required
@require_POST
def license_add(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="license",
        form_class=LicenseClaimForm,
        service=services_checks.license_claim,
        done="License added; look it up with the state board next.",
    )


@login_required
@require_POST
def nbcot_claim(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="nbcot_claim",
        form_class=NbcotClaimForm,
        service=services_checks.nbcot_claim,
        done="NBCOT claim recorded; verify it next.",
    )


@login_required
@require_POST
def nbcot_verify(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="nbcot",
        form_class=NbcotForm,
        service=services_checks.nbcot_verify,
        done="NBCOT verification recorded.",
    )


@login_required
@require_POST
def license_lookup(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="lookup",
        form_class=LookupForm,
        service=services_checks.license_lookup_record,
        done="License lookup recorded.",
        needs_applicant=True,
    )


@login_required
@require_POST
def reference_add(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="reference",
        form_class=ReferenceForm,
        service=services_checks.reference_add,
        done="Reference added.",
    )


@login_required
@require_POST
def reference_result(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="result",
        form_class=ReferenceResultForm,
        service=services_checks.reference_record,
        done="Reference recorded.",
        needs_applicant=True,
    )


@login_required
@require_POST
def onboarding_done(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    return _action(
        request,
        applicant_id,
        key="onboarding",
        form_class=OnboardingDoneForm,
        service=services_checks.onboarding_done,
        done="Onboarding item done.",
        needs_applicant=True,
    )


@login_required
@require_POST
def hire(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    applicant = selectors.applicant_get_for_user(
        user=request.user, applicant_id=applicant_id, record_view=False
    )
    form = HireForm(request.POST)
    if form.is_valid():
        try:
            staff = applicant_hire(
                user=request.user,
                applicant=applicant,
                username=form.cleaned_data["username"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Hired: {staff.user.username} is on staff; the invitation to set a password "
                f"was emailed to {staff.user.email}.",
            )
            return redirect("hiring-applicant", applicant_id=applicant.pk)
    return _page(request, applicant, {"hire": form}, status=422)


@login_required
@require_POST
def invite_again(request: AuthenticatedHttpRequest, applicant_id: str) -> HttpResponse:
    applicant = selectors.applicant_get_for_user(
        user=request.user, applicant_id=applicant_id, record_view=False
    )
    try:
        invited = invitation_resend(user=request.user, applicant=applicant)
    except ValidationFailed as exc:
        form = Form(data={})
        form.is_valid()
        add_errors(form, exc)
        return _page(request, applicant, {"invite": form}, status=422)
    messages.success(request, f"A new invitation was emailed to {invited.email}.")
    return redirect("hiring-applicant", applicant_id=applicant.pk)
