"""Secure messages with the care team, in the portal, over the messaging app's portal API.

The grant (and its `messages` scope) is checked first, on every request, like every portal page;
the messaging functions then check participation. Posting redirects (POST, redirect, GET), so
reloading the page never sends a message twice.
"""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.messaging import portal as messaging
from otclinic.clinic.messaging.models import Thread
from otclinic.clinic.messaging.services import thread_mark_read
from otclinic.clinic.patients.models import Patient, PortalScope
from otclinic.clinic.portal.access import grant_get
from otclinic.clinic.portal.forms import ReplyForm, ThreadStartForm
from otclinic.clinic.portal.views import portal_page

# A second identical submission within this window is the same message, not a new one.
REPEAT_WINDOW = dt.timedelta(minutes=2)


def _just_sent(user: User, patient: Patient, *, subject: str, body: str) -> Thread | None:
    """The same conversation this user started moments ago (a double tap), if there is one."""
    since = timezone.now() - REPEAT_WINDOW
    for summary in messaging.portal_threads_for(user=user, patient=patient):
        thread = summary.thread
        if thread.started_by_id != user.pk or thread.created_at < since:
            continue
        if thread.subject == subject.strip():
            first = messaging.portal_thread_messages(user=user, patient=patient, thread=thread)
            if first and first[0].body == body.strip():
                return thread
    return None


@portal_page
@require_http_methods(["GET", "POST"])
def threads(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    grant = grant_get(user=request.user, patient_id=patient_id, scope=PortalScope.MESSAGES)
    form = ThreadStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = _just_sent(request.user, grant.patient, **form.cleaned_data)
            thread = thread or messaging.portal_thread_start(
                user=request.user, patient=grant.patient, **form.cleaned_data
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("portal-thread", patient_id=grant.patient.pk, thread_id=thread.pk)
    context = {
        "grant": grant,
        "patient": grant.patient,
        "summaries": messaging.portal_threads_for(user=request.user, patient=grant.patient),
        "form": form,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/messages.html", context, status=status)


@portal_page
@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedHttpRequest, patient_id: str, thread_id: str) -> HttpResponse:
    grant = grant_get(
        user=request.user, patient_id=patient_id, scope=PortalScope.MESSAGES, detail="messages"
    )
    conversation = messaging.portal_thread_get(
        user=request.user, patient=grant.patient, thread_id=thread_id
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            messaging.message_post(
                user=request.user, thread=conversation, body=form.cleaned_data["body"]
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("portal-thread", patient_id=grant.patient.pk, thread_id=conversation.pk)
    thread_mark_read(user=request.user, thread=conversation)
    context = {
        "grant": grant,
        "patient": grant.patient,
        "thread": conversation,
        "messages_list": messaging.portal_thread_messages(
            user=request.user, patient=grant.patient, thread=conversation
        ),
        "form": form,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/thread.html", context, status=status)
