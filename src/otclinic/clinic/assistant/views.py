"""The assistant's pages: the clinic admin's settings, and the note page's draft and its poll.

Thin: parse, one selector, one service, render. The draft's poll answers its status line while
the model works, and, when it is done, the note's narrative field (an out-of-band swap) holding
the draft to edit, with a plain message saying whose draft it is.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.assistant import selectors, services
from otclinic.clinic.assistant import services_shorthand as shorthand
from otclinic.clinic.assistant.forms import AssistantSettingsForm
from otclinic.clinic.care import selectors_notes as note_selectors
from otclinic.clinic.care.forms_notes import NoteForms, ShorthandForm, planned_codes
from otclinic.clinic.care.shorthand_fill import fill_from_shorthand
from otclinic.clinic.common.errors import NotPermitted
from otclinic.domain.access import Capability

DRAFT = "assistant/draft.html"
SHORTHAND = "assistant/shorthand.html"


@login_required
@require_http_methods(["GET", "POST"])
def assistant_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_STAFF)
    current = selectors.settings_for(request.user.organization_id)
    form = AssistantSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.settings_save(user=request.user, values=form.cleaned_data)
        messages.success(request, "Assistant settings saved.")
        return redirect("assistant-settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "assistant/settings.html", {"form": form}, status=status)


@login_required
@require_POST
def draft_start(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """Queue a draft of the narrative from the entries as typed; answer the polling status."""
    note = note_selectors.note_get_for_user(user=request.user, note_id=note_id)
    forms = NoteForms(note, request.POST)
    if not forms.is_valid():
        context = {"problem": "Some entries need fixing before the assistant can draft."}
        return render(request, f"{DRAFT}#status", context, status=422)
    try:
        draft = services.draft_start(user=request.user, note=note, content=forms.content())
    except NotPermitted as exc:
        return render(request, f"{DRAFT}#status", {"problem": str(exc)}, status=403)
    return render(request, f"{DRAFT}#status", {"draft": draft})


@login_required
@require_POST
def draft_poll(request: AuthenticatedHttpRequest, draft_id: str) -> HttpResponse:
    draft = selectors.draft_get_for_user(user=request.user, draft_id=draft_id)
    taken = services.draft_take(user=request.user, draft=draft)
    if taken is None:
        return render(request, f"{DRAFT}#status", {"draft": draft})
    text, message = taken
    return render(request, DRAFT, {"narrative_text": text, "message": message})


@login_required
@require_POST
def shorthand_start(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """Send the box's unread lines (read again from the box as posted) to the model; answer the
    polling status."""
    note = note_selectors.note_get_for_user(user=request.user, note_id=note_id)
    form = ShorthandForm(request.POST)
    if not form.is_valid():
        return render(
            request, f"{SHORTHAND}#ask", {"problem": "Fix the shorthand box first."}, status=422
        )
    filled = fill_from_shorthand(
        note=note, text=form.cleaned_data["shorthand"], planned=planned_codes(note)
    )
    try:
        ask = shorthand.shorthand_ask_start(
            user=request.user,
            note=note,
            lines=list(filled.unread_texts),
            max_minutes=selectors.visit_minutes(note),
        )
    except NotPermitted as exc:
        return render(request, f"{SHORTHAND}#ask", {"problem": str(exc)}, status=403)
    except shorthand.AskRefused as exc:
        return render(request, f"{SHORTHAND}#ask", {"problem": str(exc)}, status=422)
    return render(request, f"{SHORTHAND}#ask", {"ask": ask})


@login_required
@require_POST
def shorthand_poll(request: AuthenticatedHttpRequest, ask_id: str) -> HttpResponse:
    ask = selectors.shorthand_ask_get_for_user(user=request.user, ask_id=ask_id)
    taken = shorthand.shorthand_ask_take(user=request.user, ask=ask)
    return render(request, f"{SHORTHAND}#ask", {"ask": taken or ask, "polling": taken is None})


@login_required
@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, ask_id: str) -> HttpResponse:
    """Accept or Discard one proposal. An accepted one puts its line of the grammar in the box
    in place of the unread line (note.js, on the `assistant-line-accepted` event), and the box's
    reading fills its row as for a typed line."""
    ask = selectors.shorthand_ask_get_for_user(user=request.user, ask_id=ask_id)
    accept = request.POST.get("decision") == "accept"
    try:
        index = int(request.POST.get("index", ""))
        proposal = shorthand.proposal_decide(user=request.user, ask=ask, index=index, accept=accept)
    except NotPermitted as exc:
        return render(request, f"{SHORTHAND}#ask", {"problem": str(exc)}, status=403)
    except (ValueError, shorthand.AskRefused) as exc:
        ask.refresh_from_db()
        return render(request, f"{SHORTHAND}#ask", {"ask": ask, "problem": str(exc)}, status=422)
    ask.refresh_from_db()
    response = render(request, f"{SHORTHAND}#ask", {"ask": ask})
    if accept:
        event = {"line": proposal["line"], "text": proposal["text"]}
        response["HX-Trigger"] = json.dumps({"assistant-line-accepted": event})
    return response
