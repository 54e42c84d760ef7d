"""The biller's claims pages: the list by status, one claim with its scrubber problems, and the
actions (create charges, assemble claims, scrub, mark ready, export 837P, CMS-1500 PDF). The
runs over the whole organization (charges, assembly, scrubbing the drafts, export) are queued as
background jobs; the person is taken to the job's page, which shows its progress.

Thin: parse a form, one selector, one service, render. Bad input answers 422 with the form's
errors; a claim that cannot be marked ready answers 422 with its problems and their fixes.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.paging import paginate
from otclinic.clinic.jobs.models import JobKind
from otclinic.clinic.jobs.services import job_start
from otclinic.clinic.jobs.views import job_page
from otclinic.clinic.revenue import claim_corrections, selectors
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.cms1500 import CannotPrint, claim_pdf
from otclinic.clinic.revenue.export import batch_filename
from otclinic.clinic.revenue.forms import ClaimActionForm, ClaimFilterForm, ClaimStatusForm
from otclinic.clinic.revenue.models import Claim
from otclinic.clinic.revenue.scrubber import ClaimHasProblems
from otclinic.clinic.revenue.scrubber import claim_scrub as scrub_service
from otclinic.domain.access import Capability

LIST = "revenue/claims/list.html"
DETAIL = "revenue/claims/detail.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


CLAIMS_PER_PAGE = 25


def _list_context(request: AuthenticatedHttpRequest, form: ClaimFilterForm) -> dict[str, Any]:
    form.is_valid()
    # The fields that are valid filter the list even when another is not (it answers 422).
    filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    claims = selectors.claim_rows_for_user(user=request.user, **filters)
    counts = selectors.claim_counts(user=request.user)
    # Unfiltered, the list's count is the counts by status added up: no second count.
    total = None if filters else sum(counts.values())
    pager = paginate(request, claims, per_page=CLAIMS_PER_PAGE, count=total)
    return {
        "form": form,
        "pager": pager,
        "rows": selectors.claim_rows(pager.rows),
        "filtered": bool(filters),
        "counts": counts,
        "work": selectors.work_counts(user=request.user),
        "not_billable": selectors.not_billable_for_user(user=request.user),
        "batches": selectors.batches_for_user(user=request.user)[:20],
    }


@login_required
@require_GET
def claims_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_BILLING)
    form = ClaimFilterForm(request.GET, user=request.user)
    status = 200 if form.is_valid() else 422
    return render(request, LIST, _list_context(request, form), status=status)


def _start(request: AuthenticatedHttpRequest, kind: JobKind) -> HttpResponse:
    """Queue the billing run `kind` and show its page: the work is done by a worker, never in
    this request (docs/operations.md, background jobs)."""
    return job_page(job_start(user=request.user, kind=kind))


@login_required
@require_POST
def charges_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _start(request, JobKind.CHARGES)


@login_required
@require_POST
def claims_assemble(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _start(request, JobKind.ASSEMBLE)


@login_required
@require_POST
def claims_scrub_drafts(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _start(request, JobKind.SCRUB)


@login_required
@require_POST
def claims_export_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _start(request, JobKind.EXPORT)


def _download(batch: Any) -> FileResponse:
    return FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch_filename(batch),
        content_type="application/edi-x12",
    )


@login_required
@require_GET
def batch_download(request: AuthenticatedHttpRequest, batch_id: str) -> FileResponse:
    return _download(selectors.batch_get_for_user(user=request.user, batch_id=batch_id))


def _detail(request: HttpRequest, claim: Claim, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "claim": claim,
        "lines": claim.lines.all(),
        "problems": extra.pop("problems", None),
        "later_claims": claim.secondary_claims.select_related("coverage__payer"),
        "action_form": extra.pop("action_form", None) or ClaimActionForm(),
        "status_form": extra.pop("status_form", None) or ClaimStatusForm(),
        **extra,
    }
    template = f"{DETAIL}#problems" if _is_htmx(request) else DETAIL
    return render(request, template, context, status=status)


@login_required
@require_GET
def claim_detail(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    return _detail(request, claim)


@login_required
@require_POST
def claim_scrub(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    problems = scrub_service(claim=claim, user=request.user)
    return _detail(request, claim, problems=problems, scrubbed=True)


@login_required
@require_POST
def claim_ready(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    try:
        svc.claim_mark_ready(claim=claim, user=request.user)
    except ClaimHasProblems as exc:
        return _detail(request, claim, problems=exc.problems, scrubbed=True, status=422)
    except svc.ClaimError as exc:
        return _detail(request, claim, status=422, error=str(exc))
    messages.success(request, "The claim is ready to export.")
    return redirect("claim-detail", claim_id=claim.pk)


@login_required
@require_POST
def claim_status(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    form = ClaimStatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, claim, status_form=form, status=422)
    try:
        svc.claim_set_status(claim=claim, status=form.cleaned_data["status"], user=request.user)
    except svc.ClaimError as exc:
        return _detail(request, claim, status_form=form, status=422, error=str(exc))
    return redirect("claim-detail", claim_id=claim.pk)


ACTIONS = {
    "correct": claim_corrections.claim_correct,
    "void": claim_corrections.claim_void,
    "secondary": claim_corrections.claim_create_secondary,
}


@login_required
@require_POST
def claim_action(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    form = ClaimActionForm(request.POST)
    if not form.is_valid():
        return _detail(request, claim, action_form=form, status=422)
    try:
        made = ACTIONS[form.cleaned_data["action"]](claim=claim, user=request.user)
    except svc.ClaimError as exc:
        return _detail(request, claim, action_form=form, status=422, error=str(exc))
    messages.success(request, "A new draft claim was made: scrub it and mark it ready.")
    return redirect("claim-detail", claim_id=made.pk)


@login_required
@require_GET
def claim_cms1500(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    try:
        pdf = claim_pdf(claim, plain_paper=request.GET.get("paper") == "plain")
    except CannotPrint as exc:
        return _detail(request, claim, status=422, error=f"The CMS-1500 cannot be printed: {exc}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="CMS1500-{claim.patient_control_number}.pdf"'
    )
    return response
