"""The tasks page: my tasks (overdue first and marked), tasks I set, the team's (clinic admin)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.errors import ValidationFailed, add_errors
from otclinic.clinic.messaging import selectors, tasks
from otclinic.clinic.messaging.forms import TaskForm
from otclinic.clinic.messaging.services import require_staff
from otclinic.clinic.messaging.views import _thread_page
from otclinic.domain.access import Capability


@login_required
@require_GET
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    return _page(request, TaskForm(user=request.user))


def _page(request: AuthenticatedHttpRequest, form: TaskForm, status: int = 200) -> HttpResponse:
    user = request.user
    is_admin = user_may(user, Capability.MANAGE_STAFF)
    context: dict[str, Any] = {
        "today": timezone.localdate(),
        "mine": tasks.tasks_for_user(user=user),
        "set_by_me": tasks.tasks_set_by_user(user=user),
        "team": tasks.team_tasks_for_user(user=user) if is_admin else None,
        "done": tasks.tasks_for_user(user=user, status="done").order_by("-done_at")[:10],
        "form": form,
    }
    return render(request, "messaging/tasks.html", context, status=status)


@login_required
@require_POST
def task_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            tasks.task_create(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Task added.")
            return redirect("tasks")
    return _page(request, form, status=422)


@login_required
@require_POST
def thread_task_new(request: AuthenticatedHttpRequest, thread_id: str) -> HttpResponse:
    """A task about a thread (and its patient), added from the thread's page."""
    require_staff(request.user)
    thread = selectors.thread_get_for_user(
        user=request.user, thread_id=thread_id, record_view=False
    )
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            tasks.task_create(user=request.user, thread=thread, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Task added.")
            return redirect("thread-detail", thread_id=thread.pk)
    return _thread_page(request, thread, task_form=form, status=422)


@login_required
@require_POST
def task_done(request: AuthenticatedHttpRequest, task_id: str) -> HttpResponse:
    require_staff(request.user)
    task = tasks.task_get_for_user(user=request.user, task_id=task_id)
    tasks.task_complete(user=request.user, task=task)
    messages.success(request, "Task marked done.")
    target = request.POST.get("next", "")
    if target.startswith("/messages/") and "//" not in target:
        return redirect(target)
    return redirect("tasks")
