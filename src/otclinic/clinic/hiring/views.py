"""Hiring pages: postings, the pipeline board and settings (the new hire's invitation page is
accounts' `views_invitation`).

Thin: one selector, one service, render. Invalid input answers 422 with the form's errors;
the board's move buttons answer an htmx request with the board partial.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.hiring import selectors, services
from otclinic.clinic.hiring.forms import ApplicantForm, PostingForm, SettingsForm
from otclinic.clinic.hiring.models import JobPosting
from otclinic.domain.access import Capability
from otclinic.domain.hiring.pipeline import board_moves


@login_required
def posting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    postings = selectors.postings_for_user(user=request.user)
    return render(request, "hiring/list.html", {"postings": postings})


@login_required
@require_http_methods(["GET", "POST"])
def posting_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_STAFF)
    form = PostingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.posting_create(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Posting opened.")
            return redirect("hiring-posting", posting_id=posting.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "hiring/posting_new.html", {"form": form}, status=status)


@login_required
@require_POST
def posting_close(request: AuthenticatedHttpRequest, posting_id: str) -> HttpResponse:
    posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
    services.posting_close(user=request.user, posting=posting)
    messages.success(request, "Posting closed; its applicants stay on the board.")
    return redirect("hiring-posting", posting_id=posting.pk)


@login_required
def posting_board(request: AuthenticatedHttpRequest, posting_id: str) -> HttpResponse:
    posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
    return board_page(request, posting)


def board_page(
    request: HttpRequest,
    posting: JobPosting,
    *,
    applicant_form: ApplicantForm | None = None,
    refused: dict[str, Any] | None = None,
    status: int = 200,
    partial: bool = False,
) -> HttpResponse:
    columns = selectors.pipeline_board(posting=posting)
    for column in columns:
        for applicant in column.applicants:
            applicant.board_moves = board_moves(applicant.stage_enum)  # type: ignore[attr-defined]
    context = {
        "posting": posting,
        "columns": columns,
        "applicant_form": applicant_form or ApplicantForm(),
        "refused": refused or {},
    }
    template = "hiring/board.html#board" if partial else "hiring/board.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def applicant_new(request: AuthenticatedHttpRequest, posting_id: str) -> HttpResponse:
    posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
    form = ApplicantForm(request.POST)
    if form.is_valid():
        try:
            applicant = services.applicant_create(
                user=request.user, posting=posting, **form.cleaned_data
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Applicant added.")
            return redirect("hiring-applicant", applicant_id=applicant.pk)
    return board_page(request, posting, applicant_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = selectors.settings_for_user(user=request.user)
    initial = {
        "references_required": current.references_required,
        "before_hire": "\n".join(i["label"] for i in current.onboarding_items if i["before_hire"]),
        "after_hire": "\n".join(
            i["label"] for i in current.onboarding_items if not i["before_hire"]
        ),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                user=request.user,
                references_required=form.cleaned_data["references_required"],
                onboarding_items=form.items(),
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Hiring settings saved; they apply to new applicants.")
            return redirect("hiring-list")
    status = 422 if request.method == "POST" else 200
    return render(request, "hiring/settings.html", {"form": form}, status=status)
