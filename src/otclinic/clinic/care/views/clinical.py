"""Pages of the therapist's documents. Thin: parse a form, one selector, one service, render.

Validation failures answer 422 with the form's errors; htmx requests get the named partial of
the same template.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care import forms_clinical as forms
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.domain.access import Capability

FORM_PAGE = "care/clinical/form.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _add_errors(form: Any, exc: ValidationFailed) -> None:
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _form_page(
    request: HttpRequest, form: Any, *, title: str, submit: str, back: str, **extra: Any
) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": title, "submit": submit, "back": back, **extra}
    return render(request, FORM_PAGE, context, status=status)


def _attempt(form: Any, action: Any) -> Any:
    """Run a service on a valid form; None (with the errors on the form) when it refuses."""
    try:
        return action()
    except ValidationFailed as exc:
        _add_errors(form, exc)
        return None


# --- referral and episode -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_get_for_user(user=request.user, patient_id=patient_id)
    require(request.user, Capability.INTAKE_REFERRAL)
    form = forms.ReferralForm(request.POST or None, organization_id=patient.organization_id)
    if request.method == "POST" and form.is_valid():
        referral = _attempt(
            form,
            lambda: svc.referral_intake(user=request.user, patient=patient, **form.cleaned_data),
        )
        if referral:
            return redirect("patient-chart", patient_id=patient.pk)
    back = f"/patients/{patient.pk}/"
    return _form_page(
        request,
        form,
        title=f"Referral for {patient.last_name}, {patient.first_name}",
        submit="Save referral",
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_open(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = sel.referral_get_for_user(user=request.user, referral_id=referral_id)
    form = forms.EpisodeOpenForm(
        request.POST or None, referral=referral, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        episode = _attempt(
            form,
            lambda: svc.episode_open(user=request.user, referral=referral, **form.cleaned_data),
        )
        if episode:
            return redirect("care-episode", episode_id=episode.pk)
    return _form_page(
        request,
        form,
        title=f"Open an {referral.discipline} episode",
        submit="Open episode",
        back=f"/patients/{referral.patient_id}/",
    )


@login_required
def episode_detail(request: HttpRequest, episode_id: str) -> HttpResponse:
    episode = sel.episode_get_for_user(user=request.user, episode_id=episode_id)
    context = sel.episode_overview(episode=episode, user=request.user, as_of=timezone.localdate())
    return render(
        request, "care/clinical/episode.html", {**context, "home_form": forms.HomeProgramForm()}
    )


# --- evaluation ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request: HttpRequest, episode_id: str) -> HttpResponse:
    episode = sel.episode_get_for_user(user=request.user, episode_id=episode_id)
    require(request.user, Capability.EVALUATE)
    reevaluation = request.GET.get("kind") == "reevaluation"
    form = forms.EvaluationForm(
        request.POST or None,
        reevaluation=reevaluation,
        initial={"performed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in forms.SCORE_FIELDS}
        scores = [svc.ScoreInput(*score) for score in form.scores()]
        evaluation = _attempt(
            form,
            lambda: svc.evaluation_create(
                user=request.user, episode=episode, reevaluation=reevaluation, scores=scores, **data
            ),
        )
        if evaluation:
            return redirect("care-evaluation", evaluation_id=evaluation.pk)
    title = "Re-evaluation (97168)" if reevaluation else "Evaluation"
    return _form_page(
        request, form, title=title, submit="Save evaluation", back=f"/care/episodes/{episode.pk}/"
    )


@login_required
def evaluation_detail(request: HttpRequest, evaluation_id: str) -> HttpResponse:
    evaluation = sel.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id)
    return render(request, "care/clinical/evaluation.html", {"evaluation": evaluation})


@login_required
@require_POST
def evaluation_sign(request: HttpRequest, evaluation_id: str) -> HttpResponse:
    evaluation = sel.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id)
    require(request.user, Capability.EVALUATE)
    try:
        svc.evaluation_sign(user=request.user, evaluation=evaluation)
    except ValidationFailed as exc:
        context = {"evaluation": evaluation, "errors": exc.errors}
        return render(request, "care/clinical/evaluation.html", context, status=422)
    return redirect("care-evaluation", evaluation_id=evaluation.pk)


# --- plan of care -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, episode_id: str) -> HttpResponse:
    episode = sel.episode_get_for_user(user=request.user, episode_id=episode_id)
    require(request.user, Capability.PLAN_OF_CARE)
    initial = {
        "established_on": episode.started_on,
        "frequency_per_week": 2,
        "duration_weeks": 8,
        "duration_days": 56,
    }
    form = forms.PlanForm(request.POST or None, episode=episode, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = _attempt(
            form, lambda: svc.plan_create(user=request.user, episode=episode, **form.cleaned_data)
        )
        if plan:
            return redirect("care-plan", plan_id=plan.pk)
    return _form_page(
        request,
        form,
        title="Plan of care",
        submit="Save draft plan",
        back=f"/care/episodes/{episode.pk}/",
    )


def _plan_context(request: HttpRequest, plan: Any, **forms_given: Any) -> dict[str, Any]:
    episode = sel.episode_get_for_user(user=request.user, episode_id=plan.episode_id)
    result = sel.episode_check_for(episode, as_of=timezone.localdate())
    return {
        "plan": plan,
        "episode": episode,
        "result": result,
        "goals": plan.goals.all(),
        "interventions": plan.interventions.all(),
        "diagnoses": plan.plan_diagnoses.select_related("diagnosis"),
        "can_plan": user_may(request.user, Capability.PLAN_OF_CARE),
        "goal_form": forms_given.get("goal_form") or forms.GoalForm(),
        "intervention_form": forms_given.get("intervention_form") or forms.InterventionForm(),
        "cert_form": forms_given.get("cert_form") or forms.CertificationForm(),
        "send_form": forms_given.get("send_form")
        or forms.SendForm(initial={"sent_on": timezone.localdate()}),
        "errors": forms_given.get("errors"),
    }


@login_required
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    return render(request, "care/clinical/plan.html", _plan_context(request, plan))


def _plan_part(
    request: HttpRequest, plan: Any, part: str, *, ok: bool, **forms_given: Any
) -> HttpResponse:
    if ok and not _is_htmx(request):
        return redirect("care-plan", plan_id=plan.pk)
    template = f"care/clinical/plan.html#{part}" if _is_htmx(request) else "care/clinical/plan.html"
    return render(
        request, template, _plan_context(request, plan, **forms_given), status=200 if ok else 422
    )


@login_required
@require_POST
def plan_goal_add(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.GoalForm(request.POST)
    ok = (
        form.is_valid()
        and _attempt(form, lambda: svc.goal_add(user=request.user, plan=plan, **form.cleaned_data))
        is not None
    )
    return _plan_part(request, plan, "goals", ok=ok, goal_form=None if ok else form)


@login_required
@require_POST
def plan_intervention_add(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.InterventionForm(request.POST)
    ok = (
        form.is_valid()
        and _attempt(
            form, lambda: svc.intervention_add(user=request.user, plan=plan, **form.cleaned_data)
        )
        is not None
    )
    return _plan_part(request, plan, "interventions", ok=ok, intervention_form=None if ok else form)


@login_required
@require_POST
def plan_sign(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    try:
        svc.plan_sign(user=request.user, plan=plan)
    except ValidationFailed as exc:
        return _plan_part(request, plan, "sign", ok=False, errors=exc.errors)
    return redirect("care-plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_send(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.SendForm(request.POST)
    ok = (
        form.is_valid()
        and _attempt(
            form,
            lambda: reports.plan_send_to_physician(
                user=request.user, plan=plan, **form.cleaned_data
            ),
        )
        is not None
    )
    return _plan_part(request, plan, "certification", ok=ok, send_form=None if ok else form)


@login_required
@require_POST
def plan_certification(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.CertificationForm(request.POST)
    ok = (
        form.is_valid()
        and _attempt(
            form,
            lambda: svc.certification_record(user=request.user, plan=plan, **form.cleaned_data),
        )
        is not None
    )
    if not ok:
        plan.refresh_from_db()
    return _plan_part(request, plan, "certification", ok=ok, cert_form=None if ok else form)


@login_required
@require_http_methods(["GET", "POST"])
def plan_recertify(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    initial = {
        "physician": plan.certifying_physician,
        "frequency_per_week": plan.frequency_per_week,
        "duration_weeks": plan.duration_weeks,
        "duration_days": plan.duration_days,
        "certified_on": timezone.localdate(),
    }
    form = forms.RecertifyForm(
        request.POST or None, organization_id=plan.organization_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        new = _attempt(
            form, lambda: svc.plan_recertify(user=request.user, plan=plan, **form.cleaned_data)
        )
        if new:
            return redirect("care-plan", plan_id=new.pk)
    return _form_page(
        request,
        form,
        title=f"Recertify plan v{plan.version}",
        submit="Recertify",
        back=f"/care/plans/{plan.pk}/",
    )


# --- progress report and discharge --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def progress_new(request: HttpRequest, episode_id: str) -> HttpResponse:
    episode = sel.episode_get_for_user(user=request.user, episode_id=episode_id)
    if not user_may(request.user, Capability.PROGRESS_REPORT):
        require(request.user, Capability.WRITE_TREATMENT_NOTE)
    form = forms.ProgressDraftForm(
        request.POST or None, initial={"report_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        report = _attempt(
            form, lambda: reports.progress_report_draft(user=request.user, episode=episode, **data)
        )
        if report:
            return redirect("care-progress", report_id=report.pk)
    return _form_page(
        request,
        form,
        title="Progress report: objective findings",
        submit="Save draft",
        back=f"/care/episodes/{episode.pk}/",
    )


def _progress_context(request: HttpRequest, report: Any, **given: Any) -> dict[str, Any]:
    episode = sel.episode_get_for_user(user=request.user, episode_id=report.episode_id)
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
    }


@login_required
@require_http_methods(["GET", "POST"])
def progress_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    report = sel.progress_report_get_for_user(user=request.user, report_id=report_id)
    if request.method == "GET":
        return render(request, "care/clinical/progress.html", _progress_context(request, report))
    form = forms.ProgressDraftForm(request.POST)
    ok = (
        form.is_valid()
        and _attempt(
            form,
            lambda: reports.progress_report_draft(
                user=request.user, episode=report.episode, report=report, **form.cleaned_data
            ),
        )
        is not None
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
def progress_complete(request: HttpRequest, report_id: str) -> HttpResponse:
    report = sel.progress_report_get_for_user(user=request.user, report_id=report_id)
    require(request.user, Capability.PROGRESS_REPORT)
    episode = sel.episode_get_for_user(user=request.user, episode_id=report.episode_id)
    plan = sel.active_plan(episode)
    form = forms.ProgressCompleteForm(
        request.POST, goals=list(plan.goals.filter(status="active")) if plan else []
    )
    if form.is_valid():
        inputs = [reports.GoalAssessmentInput(*row) for row in form.assessments()]
        done = _attempt(
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
def discharge_new(request: HttpRequest, episode_id: str) -> HttpResponse:
    episode = sel.episode_get_for_user(user=request.user, episode_id=episode_id)
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
        done = _attempt(
            form,
            lambda: reports.discharge_create(
                user=request.user, episode=episode, outcomes=outcomes, **data
            ),
        )
        if done:
            return redirect("care-episode", episode_id=episode.pk)
    return _form_page(
        request,
        form,
        title="Discharge summary",
        submit="Sign and discharge",
        back=f"/care/episodes/{episode.pk}/",
    )


# --- documents ----------------------------------------------------------------------------------


@login_required
@require_POST
def home_program_new(request: HttpRequest, episode_id: str) -> HttpResponse:
    episode = sel.episode_get_for_user(user=request.user, episode_id=episode_id)
    form = forms.HomeProgramForm(request.POST)
    if form.is_valid():
        done = _attempt(
            form,
            lambda: reports.home_program_create(
                user=request.user, episode=episode, **form.cleaned_data
            ),
        )
        if done:
            return redirect("care-episode", episode_id=episode.pk)
    context = sel.episode_overview(episode=episode, user=request.user, as_of=timezone.localdate())
    return render(request, "care/clinical/episode.html", {**context, "home_form": form}, status=422)


@login_required
def document_download(request: HttpRequest, document_id: str) -> FileResponse:
    document = sel.document_open_for_user(user=request.user, document_id=document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=False,
        filename=f"{document.kind}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def document_share(request: HttpRequest, document_id: str) -> HttpResponse:
    document = sel.document_get_for_user(user=request.user, document_id=document_id)
    shared = request.POST.get("shared_with_portal") in {"on", "true", "1"}
    try:
        reports.document_share(user=request.user, document=document, shared=shared)
    except ValidationFailed as exc:
        return HttpResponse("; ".join(m for ms in exc.errors.values() for m in ms), status=422)
    return redirect("care-episode", episode_id=document.episode_id)
