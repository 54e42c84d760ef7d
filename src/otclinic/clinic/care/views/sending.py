"""Sending a signed evaluation, progress report or discharge summary to the physician from
its own page, and sending again after a failure.

Thin: parse the form, one selector, one service, back to the page (422 with the form's errors
when the service refuses). The page shows the sending's status (`_send_to_physician.html`).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.care import forms_clinical as forms
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care.models import DocumentKind, EpisodeDocument
from otclinic.clinic.care.services import delivery as delivery_svc
from otclinic.clinic.care.services.record_sending import SentRecord, record_send_to_physician
from otclinic.clinic.care.views.pages import submitted
from otclinic.domain.access import Capability

# Who may send each record: as the service requires (`record_sending`).
_MAY_SEND = {
    "care-evaluation": Capability.EVALUATE,
    "care-progress": Capability.PROGRESS_REPORT,
    "care-discharge-summary": Capability.DISCHARGE,
}
# The page a sent document's "Send again" returns to, by the document's kind.
_PAGE_OF = {
    DocumentKind.EVALUATION: "care-evaluation",
    DocumentKind.PROGRESS_REPORT: "care-progress",
    DocumentKind.DISCHARGE_SUMMARY: "care-discharge-summary",
}


def send_panel(
    request: AuthenticatedHttpRequest,
    record: SentRecord,
    page: str,
    form: forms.RecordSendForm | None = None,
) -> dict[str, Any]:
    """The page's "Send to physician" panel: the physician, each sending's status, the form."""
    return {
        "send": {
            "physician": sel.physician_of(record),
            "deliveries": sel.record_deliveries(record),
            "form": form or forms.RecordSendForm(prefix="send"),
            "action": reverse(f"{page}-send", args=[record.pk]),
            "can_send": user_may(request.user, _MAY_SEND[page]),
        }
    }


def send_record(
    request: AuthenticatedHttpRequest,
    record: SentRecord,
    page: str,
    render_page: Callable[[dict[str, Any]], HttpResponse],
) -> HttpResponse:
    form = forms.RecordSendForm(request.POST, prefix="send")
    ok = submitted(
        form,
        lambda: record_send_to_physician(
            user=request.user, record=record, channel=form.cleaned_data["channel"]
        ),
    )
    if ok:
        return redirect(f"{reverse(page, args=[record.pk])}#send-to-physician")
    response = render_page(send_panel(request, record, page, form))
    response.status_code = 422
    return response


@login_required
@require_POST
def evaluation_send(request: AuthenticatedHttpRequest, evaluation_id: str) -> HttpResponse:
    evaluation = sel.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id)
    return send_record(
        request,
        evaluation,
        "care-evaluation",
        lambda panel: render(
            request, "care/clinical/evaluation.html", {"evaluation": evaluation, **panel}
        ),
    )


@login_required
@require_POST
def delivery_resend(request: AuthenticatedHttpRequest, delivery_id: str) -> HttpResponse:
    """Send a failed sending of a record's PDF again; back to the record's page."""
    delivery = sel.delivery_get_for_user(user=request.user, delivery_id=delivery_id)
    delivery_svc.physician_delivery_resend(user=request.user, delivery=delivery)
    return redirect(_page_url(delivery.document))


def _page_url(document: EpisodeDocument) -> str:
    page = _PAGE_OF.get(DocumentKind(document.kind))
    if page is None or document.source_id is None:
        return reverse("care-episode", args=[document.episode_id])
    return f"{reverse(page, args=[document.source_id])}#send-to-physician"
