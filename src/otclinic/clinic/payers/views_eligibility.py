"""The front desk's eligibility page: 270s for a day's schedule, 271 answers in."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.payers import eligibility
from otclinic.clinic.payers.models import EligibilityFile, EligibilityRequest
from otclinic.domain.access import Capability

PAGE = "payers/eligibility.html"


class InquireForm(forms.Form):
    day = forms.DateField(
        label="Visits on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Every coverage behind the visits booked that day is asked about once.",
    )


class AnswerForm(forms.Form):
    file = forms.FileField(label="271 eligibility answer file")


def _page(request: AuthenticatedHttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    require(request.user, Capability.EDIT_COVERAGE)
    org = request.user.organization_id
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    context = {
        "inquire_form": extra.pop("inquire_form", None) or InquireForm(initial={"day": tomorrow}),
        "answer_form": extra.pop("answer_form", None) or AnswerForm(),
        "files": EligibilityFile.objects.for_org(org).filter(kind="270")[:10],
        "requests": EligibilityRequest.objects.for_org(org)
        .select_related("coverage__patient", "coverage__payer")
        .order_by("-service_date", "-created_at")[:25],
        **extra,
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def eligibility_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def eligibility_inquire(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.EDIT_COVERAGE)
    form = InquireForm(request.POST)
    if not form.is_valid():
        return _page(request, status=422, inquire_form=form)
    run = eligibility.eligibility_inquire_for_day(user=request.user, day=form.cleaned_data["day"])
    return _page(request, inquiry=run, status=422 if run.problems else 200)


@login_required
@require_POST
def eligibility_answers(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.EDIT_COVERAGE)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = eligibility.eligibility_import_271(
                user=request.user, data=upload.read(), file_name=upload.name
            )
        except eligibility.EligibilityError as exc:
            form.add_error("file", f"This file cannot be read as a 271: {exc}")
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return _page(request, answers=run)
    return _page(request, status=422, answer_form=form)


@login_required
@require_GET
def eligibility_file(request: AuthenticatedHttpRequest, file_id: str) -> FileResponse:
    require(request.user, Capability.EDIT_COVERAGE)
    record = get_object_or_404(
        EligibilityFile.objects.for_org(request.user.organization_id), pk=file_id
    )
    asked = EligibilityRequest.objects.filter(Q(sent_in=record) | Q(answered_in=record))
    saw(asked.values_list("coverage__patient_id", flat=True), f"{record.kind} file")
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.file_name or "eligibility.x12",
        content_type="application/edi-x12",
    )
