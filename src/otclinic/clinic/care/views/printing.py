"""Each clinical document as a PDF ("Print / PDF" on the document's page): one selector, the
bytes inline so that the browser shows them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.care import selectors_print as printing


def _pdf(printed: printing.PrintedDocument) -> HttpResponse:
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def note_pdf(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    return _pdf(printing.note_pdf(user=request.user, note_id=note_id))


@login_required
@require_GET
def evaluation_pdf(request: AuthenticatedHttpRequest, evaluation_id: str) -> HttpResponse:
    return _pdf(printing.evaluation_pdf(user=request.user, evaluation_id=evaluation_id))


@login_required
@require_GET
def plan_pdf(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    return _pdf(printing.plan_pdf(user=request.user, plan_id=plan_id))


@login_required
@require_GET
def progress_pdf(request: AuthenticatedHttpRequest, report_id: str) -> HttpResponse:
    return _pdf(printing.progress_pdf(user=request.user, report_id=report_id))


@login_required
@require_GET
def discharge_pdf(request: AuthenticatedHttpRequest, discharge_id: str) -> HttpResponse:
    return _pdf(printing.discharge_pdf(user=request.user, discharge_id=discharge_id))
