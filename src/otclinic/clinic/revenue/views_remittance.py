"""The remittance pages: 835 upload and its result, the unmatched queue, the denials work queue,
A/R aging, and patient balances and statements.

Thin: parse the form, one selector, one service, render. A file that is not a readable 835
answers 422 with the reader's message (segment and position); a role without billing 403;
another organization's record 404.
"""

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import (
    organization_id_of,
    organization_of,
    require,
    user_may,
)
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.common.paging import paginate
from otclinic.clinic.jobs.models import JobKind
from otclinic.clinic.jobs.services import job_start
from otclinic.clinic.jobs.views import job_page
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.revenue import acknowledgments, patient_payments, posting, statements
from otclinic.clinic.revenue import denials as denial_services
from otclinic.clinic.revenue import selectors_remittance as selectors
from otclinic.clinic.revenue.aging import BUCKETS, AgeFrom, AgingBy, aging_report
from otclinic.clinic.revenue.ar_figures import key_figures
from otclinic.clinic.revenue.denial_codes import GROUP, carc_text
from otclinic.clinic.revenue.forms_remittance import (
    AcknowledgmentUploadForm,
    DenialActionForm,
    EraUploadForm,
    MatchForm,
    PatientPaymentForm,
    PatientRefundForm,
)
from otclinic.clinic.revenue.models import Denial
from otclinic.domain.access import Capability

T = "revenue/remittance/"


@login_required
@require_http_methods(["GET", "POST"])
def era_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_BILLING)
    if request.method == "GET":
        return render(request, T + "upload.html", {"form": EraUploadForm()})
    form = EraUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, T + "upload.html", {"form": form}, status=422)
    upload = form.cleaned_data["file"]
    raw = upload.read()
    try:
        posting.era_refuse_unreadable(raw=raw, filename=upload.name)
    except posting.EraImportError as exc:
        context = {"form": EraUploadForm(), "error": str(exc)}
        return render(request, T + "upload.html", context, status=422)
    # Posted by a worker (one transaction for the whole file); the job page shows the result.
    job = job_start(
        user=request.user, kind=JobKind.ERA_IMPORT, params={"filename": upload.name}, payload=raw
    )
    return job_page(job)


@login_required
def unmatched_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    queue = selectors.unmatched_for_user(user=request.user)
    lines = selectors.unmatched_lines_for_user(user=request.user)
    return render(request, T + "unmatched.html", {"queue": queue, "lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def unmatched_match(request: AuthenticatedHttpRequest, remittance_claim_id: str) -> HttpResponse:
    rc = selectors.remittance_claim_get_for_user(
        user=request.user, remittance_claim_id=remittance_claim_id
    )
    if request.method == "GET":
        return render(request, T + "match.html", {"rc": rc, "form": MatchForm()})
    require(request.user, Capability.MANAGE_BILLING)
    form = MatchForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["control_number"]
        claim = selectors.claim_by_control_number_for_user(user=request.user, control_number=number)
        if claim is None:
            form.add_error("control_number", f"No claim numbered {number}.")
        else:
            try:
                denied = posting.remittance_claim_match(
                    user=request.user, remittance_claim=rc, claim=claim
                )
            except ValidationFailed as exc:
                for message in exc.errors.get("claim", []):
                    form.add_error("control_number", message)
            else:
                messages.success(request, f"Posted to claim {number}; {denied} denial(s).")
                return redirect("era-unmatched")
    return render(request, T + "match.html", {"rc": rc, "form": form}, status=422)


@login_required
def denial_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The groups (payer and CARC) with their counts and totals, and one group's denials a page
    at a time: the one the query string names, else the largest."""
    groups = selectors.denial_groups_for_user(user=request.user)
    wanted = (request.GET.get("payer", ""), request.GET.get("carc", ""))
    group = next((g for g in groups if g.key == wanted), groups[0] if groups else None)
    context: dict[str, Any] = {"groups": groups, "group": group, "group_codes": GROUP}
    if group is not None:
        denials = selectors.denials_in_group_for_user(user=request.user, group=group)
        # The group's count is the number of its denials: no second count.
        context["pager"] = paginate(request, denials, count=group.count)
    return render(request, T + "denials.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def denial_detail(request: AuthenticatedHttpRequest, denial_id: str) -> HttpResponse:
    denial = selectors.denial_get_for_user(user=request.user, denial_id=denial_id)
    form = DenialActionForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Capability.MANAGE_BILLING)
        if form.is_valid():
            try:
                denial_services.denial_resolve(
                    user=request.user, denial=denial, **form.cleaned_data
                )
            except ValidationFailed as exc:
                form.add_error("action", " ".join(exc.errors.get("action", [])))
            else:
                messages.success(request, "Denial updated.")
                return redirect("denial-detail", denial_id=denial.pk)
    context = {
        "denial": denial,
        "form": form if request.method == "POST" else DenialActionForm(),
        "carc": carc_text(denial.reason_code),
        "group_text": GROUP.get(denial.group_code, ""),
        "note": _note_of(denial),
    }
    return render(request, T + "denial.html", context, status=422 if form.errors else 200)


def _note_of(denial: Denial) -> TreatmentNote | None:
    """The treatment note behind a denied line: claim line, then charge, then note."""
    line = denial.claim_line
    return line.charge.note if line is not None and line.charge is not None else None


def _period(request: HttpRequest) -> tuple[dt.date, str, str]:
    """The page's day (`as_of`) and key figures' period (`days`), and what is wrong with them:
    a bad value gives the default (today, 90 days) and a message naming the field."""
    as_of, error = timezone.localdate(), ""
    if request.GET.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            error = "As of: enter a date as YYYY-MM-DD."
    days = request.GET.get("days", "90")
    if not days.isdigit() or not 1 <= int(days) <= 730:
        error, days = "Period: enter a number of days from 1 to 730.", "90"
    return as_of, days, error


@login_required
def aging(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The buckets by payer or patient. The key figures are a page of their own
    (`aging_figures`), loaded into this one by htmx after it shows."""
    require(request.user, Capability.VIEW_BILLING)
    as_of, days, error = _period(request)
    age_from, by = request.GET.get("age_from", "service"), request.GET.get("by", "payer")
    if age_from not in AgeFrom.__members__.values():
        error, age_from = "Age from: choose the date of service or of first submission.", "service"
    if by not in AgingBy.__members__.values():
        error, by = "Rows: choose by payer or by patient.", "payer"
    report = aging_report(
        organization_id=organization_id_of(request.user),
        as_of=as_of,
        age_from=AgeFrom(age_from),
        by=AgingBy(by),
    )
    if request.GET.get("format") == "csv" and not error:
        return _aging_csv(report)
    # By payer a few rows; by patient one per patient who owes, a page at a time.
    pager = paginate(request, report.rows) if report.by == AgingBy.PATIENT else None
    context = {
        "report": report,
        "rows": pager.rows if pager else report.rows,
        "pager": pager,
        "buckets": BUCKETS,
        "error": error,
        "days": days,
        "first_day": as_of - dt.timedelta(days=int(days) - 1),
        "figures_query": urlencode({"as_of": as_of.isoformat(), "days": days}),
        "bars": _bars(report.totals),
    }
    return render(request, T + "aging.html", context, status=422 if error else 200)


@login_required
@require_GET
def aging_figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The A/R key figures over `days` ending on `as_of` (htmx gets the section alone, a
    plain request the page)."""
    require(request.user, Capability.VIEW_BILLING)
    as_of, days, error = _period(request)
    figures = key_figures(
        organization_id=organization_id_of(request.user), last_day=as_of, days=int(days)
    )
    context = {"figures": figures, "error": error}
    partial = request.headers.get("HX-Request") == "true"
    template = T + "aging_figures.html" + ("#figures" if partial else "")
    return render(request, template, context, status=422 if error else 200)


def _bars(totals: list[Any]) -> list[dict[str, Any]]:
    """The buckets' totals as bars of the page's SVG plot: 100 units for the largest."""
    top = max([t for t in totals if t > 0], default=0)
    bars = []
    for index, (label, total) in enumerate(zip(BUCKETS, totals, strict=True)):
        height = int(100 * total / top) if top and total > 0 else 0
        bars.append(
            {
                "label": label,
                "total": total,
                "height": height,
                "y": 110 - height,
                "x": 10 + 60 * index,
            }
        )
    return bars


def _aging_csv(report: Any) -> HttpResponse:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.by, *BUCKETS, "total"])
    for row in report.rows:
        writer.writerow([row.payer, *row.buckets, row.total])
    writer.writerow(["Total", *report.totals, report.total])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"ar-aging-{report.as_of}-by-{report.by}-from-{report.age_from}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def statements_run(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Today's statement for every patient who owes something, drawn by a worker."""
    return job_page(job_start(user=request.user, kind=JobKind.STATEMENTS))


@login_required
def patient_balances(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    rows = selectors.balances_by_patient(user=request.user, q=query)
    return render(request, T + "balances.html", {"pager": paginate(request, rows), "query": query})


@login_required
def patient_balance(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.patient_get_for_billing(user=request.user, patient_id=patient_id)
    return _balance_page(request, patient)


def _balance_page(
    request: HttpRequest,
    patient: Patient,
    *,
    payment_form: PatientPaymentForm | None = None,
    refund_form: PatientRefundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    credit = patient_payments.unapplied_credit(patient=patient)
    context = {
        "patient": patient,
        "statement": statements.statement_for(patient=patient, statement_date=timezone.localdate()),
        "balance": statements.patient_balance(patient=patient),
        "credit": credit,
        "owed": patient_payments.owed_services(patient=patient),
        "ledger": selectors.patient_ledger(patient=patient),
        "statements": patient.statements.all(),
        "payments": selectors.payments_of(patient=patient),
        "payment_form": payment_form or PatientPaymentForm(initial={"token": uuid.uuid4()}),
        "refund_form": refund_form
        or PatientRefundForm(initial={"token": uuid.uuid4()}, prefix="refund"),
        "can_manage_billing": user_may(request.user, Capability.MANAGE_BILLING),
        "can_view_billing": user_may(request.user, Capability.VIEW_BILLING),
        "can_take_payment": user_may(request.user, Capability.TAKE_PAYMENT),
    }
    return render(request, T + "balance.html", context, status=status)


@login_required
@require_POST
def patient_payment_new(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.patient_get_for_billing(user=request.user, patient_id=patient_id)
    require(request.user, Capability.TAKE_PAYMENT)
    form = PatientPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = patient_payments.patient_payment_take(
                user=request.user,
                patient=patient,
                amount=data["amount"],
                method=data["method"],
                reference=data["reference"],
                received_on=data["received_on"],
                claim_id=data["claim"],
                request_token=data["token"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, f"Payment of {payment.amount} recorded: receipt {payment.receipt_number}."
            )
            return redirect("patient-balance", patient_id=patient.pk)
    return _balance_page(request, patient, payment_form=form, status=422)


@login_required
@require_POST
def patient_refund_new(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.patient_get_for_billing(user=request.user, patient_id=patient_id)
    require(request.user, Capability.TAKE_PAYMENT)
    form = PatientRefundForm(request.POST, prefix="refund")
    if form.is_valid():
        data = form.cleaned_data
        try:
            refund = patient_payments.patient_refund(
                user=request.user,
                patient=patient,
                amount=data["amount"],
                method=data["method"],
                reference=data["reference"],
                request_token=data["token"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, f"Refund of {refund.amount} recorded: receipt {refund.receipt_number}."
            )
            return redirect("patient-balance", patient_id=patient.pk)
    return _balance_page(request, patient, refund_form=form, status=422)


@login_required
@require_POST
def patient_credit_apply(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.patient_get_for_billing(user=request.user, patient_id=patient_id)
    moved = patient_payments.patient_credit_apply(user=request.user, patient=patient)
    messages.success(request, f"{moved} of the credit on account applied to what is owed.")
    return redirect("patient-balance", patient_id=patient.pk)


@login_required
@require_GET
def payment_receipt(request: AuthenticatedHttpRequest, payment_id: str) -> HttpResponse:
    payment = selectors.payment_get_for_user(user=request.user, payment_id=payment_id)
    pdf = patient_payments.receipt_pdf(
        payment=payment, clinic_name=organization_of(request.user).name
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{payment.receipt_number}.pdf"'
    return response


@login_required
@require_POST
def statement_new(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.patient_get_for_billing(user=request.user, patient_id=patient_id)
    record = statements.statement_create(user=request.user, patient=patient)
    messages.success(request, f"Statement of {record.statement_date} saved: {record.balance} due.")
    return redirect("patient-balance", patient_id=patient.pk)


@login_required
def statement_pdf(request: AuthenticatedHttpRequest, statement_id: str) -> FileResponse:
    record = selectors.statement_get_for_user(user=request.user, statement_id=statement_id)
    return FileResponse(
        record.file.open("rb"),
        content_type="application/pdf",
        filename=f"statement-{record.statement_date}.pdf",
    )


@login_required
@require_GET
def remittance_file(request: AuthenticatedHttpRequest, remittance_id: str) -> FileResponse:
    """The 835 file a remittance was posted from, as it was received."""
    remittance = selectors.remittance_file_open_for_user(
        user=request.user, remittance_id=remittance_id
    )
    return FileResponse(
        remittance.file.open("rb"),
        as_attachment=True,
        filename=remittance.file_name or f"remittance-{remittance.pk}.835",
        content_type="application/edi-x12",
    )


@login_required
@require_http_methods(["GET", "POST"])
def acknowledgment_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import a 277CA: the result (accepted, rejected, unmatched) on the same page."""
    form = AcknowledgmentUploadForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        require(request.user, Capability.MANAGE_BILLING)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = acknowledgments.acknowledgment_import(
                    user=request.user, data=upload.read(), file_name=upload.name
                )
            except acknowledgments.AcknowledgmentError as exc:
                form.add_error("file", f"This file cannot be imported: {exc}")
        if not form.is_valid() or report is None:
            status = 422
    context = {
        "form": form,
        "report": report,
        "recent": selectors.acknowledgments_for_user(user=request.user),
    }
    return render(request, T + "acknowledgments.html", context, status=status)


@login_required
def rejection_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    pager = paginate(request, selectors.rejections_open_for_user(user=request.user))
    return render(request, T + "rejections.html", {"pager": pager})


@login_required
@require_POST
def rejection_correct(request: AuthenticatedHttpRequest, rejection_id: str) -> HttpResponse:
    rejection = selectors.rejection_get_for_user(user=request.user, rejection_id=rejection_id)
    claim = acknowledgments.rejection_correct(user=request.user, rejection=rejection)
    messages.success(
        request,
        f"Claim {claim.patient_control_number} is a draft again: correct it, scrub it and mark "
        "it ready; it goes out with the next export.",
    )
    return redirect("claim-detail", claim_id=claim.pk)
