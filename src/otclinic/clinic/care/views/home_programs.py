"""Pages of a home program built from the exercise library: add, reorder, adjust, print, share.

Thin: one selector, one service, then back to the program's page; a refusal answers 422 with
the page and the message on its field.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.care import selectors_home_programs as programs
from otclinic.clinic.care import selectors_overview as overview
from otclinic.clinic.care.models import HomeProgram
from otclinic.clinic.care.services import home_programs as svc
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.access import Capability

TEMPLATE = "care/clinical/home_program.html"


def _page(
    request: AuthenticatedHttpRequest,
    program: HomeProgram,
    *,
    errors: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        **programs.home_program_overview(program),
        "may_edit": user_may(request.user, Capability.WRITE_TREATMENT_NOTE),
        "errors": errors or {},
    }
    return render(request, TEMPLATE, context, status=status)


def _done(
    request: AuthenticatedHttpRequest, program: HomeProgram, write: Callable[[], object]
) -> HttpResponse:
    try:
        write()
    except ValidationFailed as exc:
        return _page(request, program, errors=exc.errors, status=422)
    return redirect("care-home-program-detail", program_id=program.pk)


@login_required
@require_POST
def home_program_start(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = overview.episode_get_for_user(user=request.user, episode_id=episode_id)
    program = svc.home_program_start(user=request.user, episode=episode)
    return redirect("care-home-program-detail", program_id=program.pk)


@login_required
@require_GET
def home_program_detail(request: AuthenticatedHttpRequest, program_id: str) -> HttpResponse:
    program = programs.home_program_get_for_user(user=request.user, program_id=program_id)
    return _page(request, program)


@login_required
@require_POST
def home_program_add(request: AuthenticatedHttpRequest, program_id: str) -> HttpResponse:
    program = programs.home_program_get_for_user(user=request.user, program_id=program_id)
    exercise = request.POST.get("exercise", "")
    return _done(
        request,
        program,
        lambda: svc.home_program_add(user=request.user, program=program, exercise=exercise),
    )


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0  # refused by the service with the field's range


@login_required
@require_POST
def home_program_item(
    request: AuthenticatedHttpRequest, program_id: str, item_id: str
) -> HttpResponse:
    program = programs.home_program_get_for_user(user=request.user, program_id=program_id)
    item = programs.home_program_item_get(program=program, item_id=item_id)
    action, user = request.POST.get("action", "save"), request.user
    writes: dict[str, Callable[[], object]] = {
        "up": lambda: svc.home_program_move(user=user, item=item, up=True),
        "down": lambda: svc.home_program_move(user=user, item=item, up=False),
        "remove": lambda: svc.home_program_remove(user=user, item=item),
        "save": lambda: svc.home_program_item_update(
            user=user,
            item=item,
            sets=_number(request.POST.get("sets")),
            reps=_number(request.POST.get("reps")),
            notes=request.POST.get("notes", ""),
        ),
    }
    return _done(request, program, writes.get(action, writes["save"]))


@login_required
@require_POST
def home_program_print(request: AuthenticatedHttpRequest, program_id: str) -> HttpResponse:
    program = programs.home_program_get_for_user(user=request.user, program_id=program_id)
    share = request.POST.get("share") in {"on", "true", "1"}
    return _done(
        request,
        program,
        lambda: svc.home_program_print(user=request.user, program=program, share=share),
    )
