"""Pages of the plan of care: draft, goals, interventions, signing, certification, recertification.

Thin: parse a form, one selector, one service, render. Validation failures answer 422 with the
form's errors; htmx requests get the named partial of the same template.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care import forms_clinical as forms
from otclinic.clinic.care import selectors_certification as cert_sel
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care import selectors_overview as overview
from otclinic.clinic.care.models import PlanOfCare
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import delivery as delivery_svc
from otclinic.clinic.care.views.pages import attempt, form_page, is_htmx, submitted
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.access import Capability


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    require(request.user, Capability.PLAN_OF_CARE)
    initial = {
        "established_on": episode.started_on,
        "frequency_per_week": 2,
        "duration_weeks": 8,
        "duration_days": 56,
        # The physician who referred certifies the plan unless the therapist chooses another.
        "certifying_physician": episode.referral.physician_id if episode.referral else None,
    }
    form = forms.PlanForm(request.POST or None, episode=episode, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = attempt(
            form, lambda: svc.plan_create(user=request.user, episode=episode, **form.cleaned_data)
        )
        if plan:
            return redirect("care-plan", plan_id=plan.pk)
    return form_page(
        request,
        form,
        title="Plan of care",
        submit="Save draft plan",
        back=f"/care/episodes/{episode.pk}/",
    )


def _plan_context(
    request: AuthenticatedHttpRequest, plan: PlanOfCare, **forms_given: Any
) -> dict[str, Any]:
    episode = overview.episode_get_for_user(user=request.user, episode_id=plan.episode_id)
    result = sel.episode_check_for(episode, as_of=timezone.localdate())
    return {
        "plan": plan,
        "episode": episode,
        "result": result,
        "goals": plan.goals.all(),
        "interventions": plan.interventions.all(),
        "diagnoses": plan.plan_diagnoses.select_related("diagnosis"),
        "can_plan": user_may(request.user, Capability.PLAN_OF_CARE),
        "goal_form": forms_given.get("goal_form") or forms.GoalForm(prefix="goal"),
        "intervention_form": forms_given.get("intervention_form")
        or forms.InterventionForm(prefix="intervention"),
        "cert_form": forms_given.get("cert_form") or forms.CertificationForm(),
        "send_form": forms_given.get("send_form")
        or forms.SendForm(initial={"sent_on": timezone.localdate()}),
        "errors": forms_given.get("errors"),
        **_follow_up_context(request, plan, forms_given),
    }


def _follow_up_context(
    request: HttpRequest, plan: PlanOfCare, given: dict[str, Any]
) -> dict[str, Any]:
    """The plan's certification requests, and the reminder and refusal forms for the open one."""
    today = timezone.localdate()
    follow_ups = cert_sel.certification_follow_ups_for_plan(plan, as_of=today)
    waiting = next((f for f in follow_ups if f.request.is_open), None)
    initial = {"request": waiting.request.pk} if waiting else {}
    return {
        "follow_ups": follow_ups,
        "waiting": waiting,
        "can_follow_up": user_may(request.user, Capability.FOLLOW_UP_CERTIFICATION),
        "reminder_form": given.get("reminder_form")
        or forms.ReminderForm(initial={**initial, "sent_on": today}, prefix="reminder"),
        "refuse_form": given.get("refuse_form")
        or forms.RefuseForm(initial={**initial, "refused_on": today}, prefix="refuse"),
    }


@login_required
def plan_detail(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    return render(request, "care/clinical/plan.html", _plan_context(request, plan))


def _plan_part(
    request: AuthenticatedHttpRequest, plan: PlanOfCare, part: str, *, ok: bool, **forms_given: Any
) -> HttpResponse:
    if ok and not is_htmx(request):
        return redirect("care-plan", plan_id=plan.pk)
    template = f"care/clinical/plan.html#{part}" if is_htmx(request) else "care/clinical/plan.html"
    return render(
        request, template, _plan_context(request, plan, **forms_given), status=200 if ok else 422
    )


@login_required
@require_POST
def plan_goal_add(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.GoalForm(request.POST, prefix="goal")
    ok = submitted(form, lambda: svc.goal_add(user=request.user, plan=plan, **form.cleaned_data))
    return _plan_part(request, plan, "goals", ok=ok, goal_form=None if ok else form)


@login_required
@require_POST
def plan_intervention_add(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.InterventionForm(request.POST, prefix="intervention")
    ok = submitted(
        form, lambda: svc.intervention_add(user=request.user, plan=plan, **form.cleaned_data)
    )
    return _plan_part(request, plan, "interventions", ok=ok, intervention_form=None if ok else form)


@login_required
@require_POST
def plan_sign(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    try:
        svc.plan_sign(user=request.user, plan=plan)
    except ValidationFailed as exc:
        return _plan_part(request, plan, "sign", ok=False, errors=exc.errors)
    return redirect("care-plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_send(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.SendForm(request.POST)
    ok = submitted(
        form,
        lambda: svc.certification_request_send(user=request.user, plan=plan, **form.cleaned_data),
    )
    return _plan_part(request, plan, "certification", ok=ok, send_form=None if ok else form)


@login_required
@require_POST
def plan_delivery_resend(
    request: AuthenticatedHttpRequest, plan_id: str, delivery_id: str
) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    delivery = sel.delivery_get_for_user(
        user=request.user, delivery_id=delivery_id, episode_id=plan.episode_id
    )
    delivery_svc.physician_delivery_resend(user=request.user, delivery=delivery)
    return _plan_part(request, plan, "certification", ok=True)


@login_required
@require_POST
def plan_certification(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.PLAN_OF_CARE)
    form = forms.CertificationForm(request.POST)
    ok = submitted(
        form, lambda: svc.certification_record(user=request.user, plan=plan, **form.cleaned_data)
    )
    if not ok:
        plan.refresh_from_db()
    return _plan_part(request, plan, "certification", ok=ok, cert_form=None if ok else form)


@login_required
@require_http_methods(["GET", "POST"])
def plan_recertify(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
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
        new = attempt(
            form, lambda: svc.plan_recertify(user=request.user, plan=plan, **form.cleaned_data)
        )
        if new:
            return redirect("care-plan", plan_id=new.pk)
    return form_page(
        request,
        form,
        title=f"Recertify plan v{plan.version}",
        submit="Recertify",
        back=f"/care/plans/{plan.pk}/",
    )
