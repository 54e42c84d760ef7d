"""Pages of the progress report (draft and completion) and the discharge summary.

Thin: parse a form, one selector, one service, render. Validation failures answer 422 with the
form's errors; htmx requests get the named partial of the same template.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care import forms_clinical as forms
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care import selectors_overview as overview
from otclinic.clinic.care.models import DischargeSummary, ProgressReport
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.care.views.pages import attempt, form_page, submitted
from otclinic.clinic.care.views.sending import send_panel, send_record
from otclinic.domain.access import Capability


@login_required
@require_http_methods(["GET", "POST"])
def progress_new(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    if not user_may(request.user, Capability.PROGRESS_REPORT):
        require(request.user, Capability.WRITE_TREATMENT_NOTE)
    form = forms.ProgressDraftForm(
        request.POST or None, initial={"report_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        report = attempt(
            form, lambda: reports.progress_report_draft(user=request.user, episode=episode, **data)
        )
        if report:
            return redirect("care-progress", report_id=report.pk)
    return form_page(
        request,
        form,
        title="Progress report: objective findings",
        submit="Save draft",
        back=f"/care/episodes/{episode.pk}/",
    )


def _progress_context(
    request: AuthenticatedHttpRequest, report: ProgressReport, **given: Any
) -> dict[str, Any]:
    episode = overview.episode_get_for_user(user=request.user, episode_id=report.episode_id)
    plan = sel.active_plan(episode)
    goals = list(plan.goals.filter(status="active")) if plan else []
    return {
        "report": report,
        "episode": episode,
        "draft_form": given.get("draft_form")
        or forms.ProgressDraftForm(
            initial={
                "report_date": report.report_date,
                "objective_findings": report.objective_findings,
                "revision": report.revision,
            }
        ),
        "complete_form": given.get("complete_form")
        or forms.ProgressCompleteForm(goals=goals, initial={"revision": report.revision}),
        "can_complete": user_may(request.user, Capability.PROGRESS_REPORT),
        "assessments": report.goal_assessments.select_related("goal"),
        **(given.get("panel") or send_panel(request, report, "care-progress")),
    }


def progress_page(
    request: AuthenticatedHttpRequest, report: ProgressReport, panel: dict[str, Any]
) -> HttpResponse:
    context = _progress_context(request, report, panel=panel)
    return render(request, "care/clinical/progress.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def progress_detail(request: AuthenticatedHttpRequest, report_id: str) -> HttpResponse:
    report = sel.progress_report_get_for_user(user=request.user, report_id=report_id)
    if request.method == "GET":
        return render(request, "care/clinical/progress.html", _progress_context(request, report))
    form = forms.ProgressDraftForm(request.POST)
    ok = submitted(
        form,
        lambda: reports.progress_report_draft(
            user=request.user, episode=report.episode, report=report, **form.cleaned_data
        ),
    )
    if ok:
        return redirect("care-progress", report_id=report.pk)
    report.refresh_from_db()
    return render(
        request,
        "care/clinical/progress.html",
        _progress_context(request, report, draft_form=form),
        status=422,
    )


@login_required
@require_POST
def progress_complete(request: AuthenticatedHttpRequest, report_id: str) -> HttpResponse:
    report = sel.progress_report_get_for_user(user=request.user, report_id=report_id)
    require(request.user, Capability.PROGRESS_REPORT)
    episode = overview.episode_get_for_user(user=request.user, episode_id=report.episode_id)
    plan = sel.active_plan(episode)
    form = forms.ProgressCompleteForm(
        request.POST, goals=list(plan.goals.filter(status="active")) if plan else []
    )
    if form.is_valid():
        inputs = [reports.GoalAssessmentInput(*row) for row in form.assessments()]
        done = attempt(
            form,
            lambda: reports.progress_report_complete(
                user=request.user,
                report=report,
                assessment=form.cleaned_data["assessment"],
                plan=form.cleaned_data["plan"],
                goal_assessments=inputs,
                revision=form.cleaned_data.get("revision"),
            ),
        )
        if done:
            return redirect("care-progress", report_id=report.pk)
    report.refresh_from_db()
    return render(
        request,
        "care/clinical/progress.html",
        _progress_context(request, report, complete_form=form),
        status=422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def discharge_new(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    require(request.user, Capability.DISCHARGE)
    plan = sel.active_plan(episode)
    goals = list(plan.goals.filter(status="active")) if plan else []
    form = forms.DischargeForm(
        request.POST or None, goals=goals, initial={"discharge_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        outcomes = [reports.GoalAssessmentInput(*row) for row in form.assessments()]
        data = {
            k: form.cleaned_data[k]
            for k in ("discharge_date", "reason", "summary", "recommendations")
        }
        done = attempt(
            form,
            lambda: reports.discharge_create(
                user=request.user, episode=episode, outcomes=outcomes, **data
            ),
        )
        if done:
            return redirect("care-episode", episode_id=episode.pk)
    return form_page(
        request,
        form,
        title="Discharge summary",
        submit="Sign and discharge",
        back=f"/care/episodes/{episode.pk}/",
    )


@login_required
@require_POST
def progress_send(request: AuthenticatedHttpRequest, report_id: str) -> HttpResponse:
    report = sel.progress_report_get_for_user(user=request.user, report_id=report_id)
    return send_record(
        request, report, "care-progress", lambda panel: progress_page(request, report, panel)
    )


def discharge_page(
    request: AuthenticatedHttpRequest,
    discharge: DischargeSummary,
    panel: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "discharge": discharge,
        "outcomes": discharge.goal_outcomes.select_related("goal"),
        **(panel or send_panel(request, discharge, "care-discharge-summary")),
    }
    return render(request, "care/clinical/discharge.html", context)


@login_required
def discharge_detail(request: AuthenticatedHttpRequest, discharge_id: str) -> HttpResponse:
    discharge = sel.discharge_get_for_user(user=request.user, discharge_id=discharge_id)
    return discharge_page(request, discharge)


@login_required
@require_POST
def discharge_send(request: AuthenticatedHttpRequest, discharge_id: str) -> HttpResponse:
    discharge = sel.discharge_get_for_user(user=request.user, discharge_id=discharge_id)
    return send_record(
        request,
        discharge,
        "care-discharge-summary",
        lambda panel: discharge_page(request, discharge, panel),
    )
