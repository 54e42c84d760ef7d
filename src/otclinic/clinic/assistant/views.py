"""The assistant's pages: the clinic admin's settings, and the note page's draft and its poll.

Thin: parse, one selector, one service, render. The draft's poll answers its status line while
the model works, and, when it is done, the note's narrative field (an out-of-band swap) holding
the draft to edit, with a plain message saying whose draft it is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.assistant import selectors, services
from otclinic.clinic.assistant.forms import AssistantSettingsForm
from otclinic.clinic.care import selectors_notes as note_selectors
from otclinic.clinic.care.forms_notes import NoteForms
from otclinic.clinic.common.errors import NotPermitted
from otclinic.domain.access import Capability

DRAFT = "assistant/draft.html"


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
