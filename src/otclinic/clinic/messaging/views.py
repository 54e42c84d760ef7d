"""Conversation pages for staff: the inbox, a new thread, a thread, the nav badge.

Thin: one selector, one service, render. htmx requests get named partials of the same
templates; a refused write answers 422 with the form and its reasons. Portal logins are refused
(403) everywhere here; the portal's pages call `messaging.portal`.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.audit.reads import shown_before
from otclinic.clinic.care.selectors_notes import episode_get_for_user, note_get_for_user
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.messaging import selectors, services
from otclinic.clinic.messaging.access import may_read
from otclinic.clinic.messaging.forms import (
    MessageForm,
    ParticipantsForm,
    RemoveParticipantForm,
    TaskForm,
    ThreadForm,
)
from otclinic.clinic.messaging.models import Thread
from otclinic.clinic.messaging.services import require_staff
from otclinic.clinic.messaging.tasks import tasks_for_user
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.clinic.revenue.selectors import claim_get_for_user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    context = {
        "notifications": selectors.notifications_for_user(user=request.user),
        "summaries": selectors.thread_summaries(user=request.user),
        "open_tasks": tasks_for_user(user=request.user).count(),
    }
    return render(request, "messaging/inbox.html", context)


@login_required
@require_GET
def badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The nav badge's fragment, polled by htmx every 15 s."""
    require_staff(request.user)
    unread = selectors.unread_count_for(user=request.user)
    unread += selectors.unread_notifications_for(user=request.user)
    return render(request, "messaging/badge.html#badge", {"unread": unread})


# New threads -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    return _thread_new(request, about={})


@login_required
@require_http_methods(["GET", "POST"])
def thread_new_patient(request: AuthenticatedHttpRequest, patient_id: str) -> HttpResponse:
    require_staff(request.user)
    patient = patient_get_for_user(user=request.user, patient_id=patient_id)
    return _thread_new(request, about={"patient": patient})


@login_required
@require_http_methods(["GET", "POST"])
def thread_new_episode(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    require_staff(request.user)
    episode = episode_get_for_user(user=request.user, episode_id=episode_id)
    return _thread_new(request, about={"episode": episode})


@login_required
@require_http_methods(["GET", "POST"])
def thread_new_note(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    require_staff(request.user)
    note = note_get_for_user(user=request.user, note_id=note_id)
    return _thread_new(request, about={"note": note})


@login_required
@require_http_methods(["GET", "POST"])
def thread_new_claim(request: AuthenticatedHttpRequest, claim_id: str) -> HttpResponse:
    require_staff(request.user)
    claim = claim_get_for_user(user=request.user, claim_id=claim_id)
    return _thread_new(request, about={"claim": claim})


def _patient_of(about: dict[str, Any]) -> Any:
    if "note" in about:
        return about["note"].episode.patient
    record = next(iter(about.values()), None)
    return None if record is None else getattr(record, "patient", record)


def _thread_new(request: AuthenticatedHttpRequest, *, about: dict[str, Any]) -> HttpResponse:
    patient = _patient_of(about)
    form = ThreadForm(request.POST or None, user=request.user, patient=patient)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_start(
                user=request.user,
                subject=data["subject"],
                body=data["body"],
                people=data["people"],
                roles=data["roles"],
                **about,
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("thread-detail", thread_id=thread.pk)
    context = {"form": form, "about": about, "patient": patient}
    status = 422 if request.method == "POST" else 200
    return render(request, "messaging/thread_new.html", context, status=status)


# One thread --------------------------------------------------------------------------------


@login_required
@require_GET
def thread_detail(request: AuthenticatedHttpRequest, thread_id: str) -> HttpResponse:
    require_staff(request.user)
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    services.thread_mark_read(user=request.user, thread=thread)
    return _thread_page(request, thread)


def _thread_page(
    request: AuthenticatedHttpRequest,
    thread: Thread,
    *,
    message_form: MessageForm | None = None,
    participants_form: ParticipantsForm | None = None,
    task_form: TaskForm | None = None,
    remove_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "thread": thread,
        "messages_list": selectors.messages_of(thread=thread),
        "participants": selectors.participants_of(thread=thread),
        "message_form": message_form or MessageForm(),
        "participants_form": participants_form
        or ParticipantsForm(user=user, patient=thread.patient),
        "task_form": task_form or TaskForm(user=user),
        "tasks": thread.tasks.select_related("assignee").order_by("status", "due_on"),
        "can_remove": services.may_remove_participants(user, thread),
        "remove_errors": remove_errors or [],
    }
    return render(request, "messaging/thread.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def thread_messages(request: AuthenticatedHttpRequest, thread_id: str) -> HttpResponse:
    """GET: the messages list (polled every 5 s by the open thread); POST: send a message."""
    require_staff(request.user)
    thread = selectors.thread_get_for_user(
        user=request.user, thread_id=thread_id, record_view=False
    )
    if request.method == "POST":
        return _post_message(request, thread)
    services.thread_mark_read(user=request.user, thread=thread)
    shown_before()  # the open thread, audited when it was opened, polls every 5 s
    context = {"thread": thread, "messages_list": selectors.messages_of(thread=thread)}
    return render(request, "messaging/thread.html#messages", context)


def _post_message(request: AuthenticatedHttpRequest, thread: Thread) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(user=request.user, thread=thread, body=form.cleaned_data["body"])
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            if not is_htmx(request):
                return redirect("thread-detail", thread_id=thread.pk)
            form = MessageForm()
    status = 422 if form.errors else 200
    if not is_htmx(request):
        return _thread_page(request, thread, message_form=form, status=status)
    context = {
        "thread": thread,
        "message_form": form,
        "messages_list": selectors.messages_of(thread=thread),
    }
    return render(request, "messaging/thread.html#conversation", context, status=status)


@login_required
@require_POST
def thread_participants(request: AuthenticatedHttpRequest, thread_id: str) -> HttpResponse:
    require_staff(request.user)
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    form = ParticipantsForm(request.POST, user=request.user, patient=thread.patient)
    if form.is_valid():
        try:
            services.participants_add(
                user=request.user,
                thread=thread,
                people=form.cleaned_data["people"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("thread-detail", thread_id=thread.pk)
    return _thread_page(request, thread, participants_form=form, status=422)


@login_required
@require_POST
def thread_participant_remove(request: AuthenticatedHttpRequest, thread_id: str) -> HttpResponse:
    """Remove the posted person (`user`) or team (`role`); gone already is no error."""
    require_staff(request.user)
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    form = RemoveParticipantForm(request.POST, user=request.user)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.participant_remove(
                user=request.user,
                thread=thread,
                person=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationFailed as exc:
            errors = [text for texts in exc.errors.values() for text in texts]
        else:
            if may_read(request.user, thread):
                return redirect("thread-detail", thread_id=thread.pk)
            return redirect("messages-inbox")  # they removed themselves (or their team)
    else:
        errors = [str(text) for texts in form.errors.values() for text in texts]
    return _thread_page(request, thread, remove_errors=errors, status=422)


# Notifications -----------------------------------------------------------------------------


@login_required
@require_POST
def notification_open(request: AuthenticatedHttpRequest, notification_id: str) -> HttpResponse:
    """Mark one notification read and go where it points."""
    require_staff(request.user)
    notification = selectors.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    services.notification_mark_read(user=request.user, notification=notification)
    local = url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None)
    return redirect(notification.link if local else "messages-inbox")


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    services.notifications_mark_all_read(user=request.user)
    return redirect("messages-inbox")
