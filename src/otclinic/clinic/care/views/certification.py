"""The plan page's follow-up of the physician's certification: a reminder sent by hand, a refusal.

Thin: parse the form, read the plan and its request through the user's organization, call one
service, render the plan's `certification` partial (422 with the form's errors when refused).
The OT and the front desk may do both (`FOLLOW_UP_CERTIFICATION`).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care import forms_clinical as forms
from otclinic.clinic.care import selectors_certification as cert_sel
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.views.pages import submitted
from otclinic.clinic.care.views.plan import _plan_part
from otclinic.domain.access import Capability


@login_required
@require_POST
def plan_certification_reminder(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.FOLLOW_UP_CERTIFICATION)
    form = forms.ReminderForm(request.POST, prefix="reminder")

    def record() -> object:
        data = form.cleaned_data
        certification = cert_sel.certification_request_get_for_user(
            user=request.user, request_id=data["request"], plan=plan
        )
        return svc.certification_reminder_record(
            user=request.user,
            request=certification,
            sent_on=data["sent_on"],
            channel=data["channel"],
            note=data["note"],
        )

    ok = submitted(form, record)
    return _plan_part(request, plan, "certification", ok=ok, reminder_form=None if ok else form)


@login_required
@require_POST
def plan_certification_refuse(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = sel.plan_get_for_user(user=request.user, plan_id=plan_id)
    require(request.user, Capability.FOLLOW_UP_CERTIFICATION)
    form = forms.RefuseForm(request.POST, prefix="refuse")

    def refuse() -> object:
        data = form.cleaned_data
        certification = cert_sel.certification_request_get_for_user(
            user=request.user, request_id=data["request"], plan=plan
        )
        return svc.certification_request_refuse(
            user=request.user,
            request=certification,
            refused_on=data["refused_on"],
            reason=data["reason"],
        )

    ok = submitted(form, refuse)
    return _plan_part(request, plan, "certification", ok=ok, refuse_form=None if ok else form)
