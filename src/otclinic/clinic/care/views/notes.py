"""The daily note pages: start, edit (with live billing preview), sign, addenda, co-signature.

Thin: parse the forms, one selector, one service, render. htmx requests get named partials of
`care/notes/note.html`. Invalid input answers 422 naming the fields; a stale revision 409; a
locked note or a role that may not write 403 with the reason.
"""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care import selectors as care_selectors
from otclinic.clinic.care import selectors_notes as selectors
from otclinic.clinic.care.fieldwork_adapter import note_student_findings
from otclinic.clinic.care.forms_notes import (
    AddendumForm,
    NotBillableForm,
    NoteForms,
    ReturnForm,
    ShorthandForm,
    planned_codes,
)
from otclinic.clinic.care.hooks import note_assistant_offered
from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.care.narrative import assistance_attestation
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.care.shorthand_fill import fill_from_shorthand, merge_rows, unfill
from otclinic.clinic.common.errors import NotPermitted, ValidationFailed, add_errors
from otclinic.domain.access import Capability

TEMPLATE = "care/notes/note.html"


@login_required
@require_POST
def note_start(request: AuthenticatedHttpRequest, episode_id: str) -> HttpResponse:
    episode = selectors.episode_get_for_user(user=request.user, episode_id=episode_id)
    day = _date_of_service(request.POST.get("date_of_service", ""))
    if day is None:
        messages.error(request, "Date of service: give a date that is not in the future.")
        return redirect("patient-chart", patient_id=episode.patient_id)
    try:
        note = svc.note_start(user=request.user, episode=episode, date_of_service=day)
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("patient-chart", patient_id=episode.patient_id)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    return redirect("note-detail", note_id=note.pk)


@login_required
@require_http_methods(["GET", "POST"])
def note_detail(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    if request.method == "GET":
        return render(request, TEMPLATE, _context(request, note))
    forms = NoteForms(note, request.POST)
    if not forms.is_valid():
        return _invalid(request, note, forms)
    try:
        note = _save(request, note, forms)
    except ValidationFailed as exc:
        return _invalid(request, note, forms, exc.errors)
    except svc.StaleRevision as exc:
        return _render(request, note, forms, status=409, conflict=str(exc))
    except NotPermitted as exc:
        return _forbidden(request, exc)
    messages.success(request, "Draft saved.")
    return redirect("note-detail", note_id=note.pk)


@login_required
@require_POST
def note_autosave(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """Save the draft as typed, while typing and when the page is left; answer the status line.

    Entries that do not pass the form's checks are not saved (the status says which); a draft
    saved meanwhile by another page answers 409 with what differs and the two choices; a
    signed note is never changed. "Keep mine" posts `overwrite_revision`, the revision the
    conflict showed, so that only that version is overwritten."""
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    if note.locked:
        return _autosave(request, note, status=409, locked=True)
    forms = NoteForms(note, request.POST)
    if not forms.is_valid():
        return _autosave(request, note, status=422, field_errors=forms.errors())
    content = forms.content()
    revision = _overwrite_revision(request.POST) or forms.revision
    try:
        note, _ = svc.note_autosave(
            user=request.user, note=note, revision=revision, content=content, editor=forms.editor
        )
    except ValidationFailed as exc:
        return _autosave(request, note, status=422, field_errors=exc.errors)
    except svc.StaleRevision:
        note.refresh_from_db()
        differences = svc.content_differences(svc.content_of(note), content)
        if differences:
            return _autosave(request, note, status=409, differences=differences)
    except NotPermitted as exc:
        return _autosave(request, note, status=403, refused=str(exc))
    return _autosave(request, note, status=200, saved=True)


def _overwrite_revision(data: Any) -> int | None:
    raw = str(data.get("overwrite_revision", ""))
    return int(raw) if raw.isdigit() else None


def _autosave(
    request: AuthenticatedHttpRequest, note: TreatmentNote, *, status: int, **state: Any
) -> HttpResponse:
    context = {"note": note, "autosave": state}
    return render(request, f"{TEMPLATE}#autosave", context, status=status)


@login_required
@require_POST
def note_preview(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """The billing preview and field messages for the entries as typed (nothing is saved)."""
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    require(request.user, Capability.WRITE_TREATMENT_NOTE)
    forms = NoteForms(note, request.POST)
    if not forms.is_valid():
        context = {"note": note, "field_errors": forms.errors()}
        return render(request, f"{TEMPLATE}#preview", context, status=422)
    content = forms.content()
    context = {
        "note": note,
        "decision": svc.preview_decision(note=note, content=content),
        "warnings": svc.note_warnings(note=note, content=content),
    }
    return render(request, f"{TEMPLATE}#preview", context)


@login_required
@require_POST
def note_narrative(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """A fresh draft of the narrative from the entries as typed, for the clinician to edit."""
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    require(request.user, Capability.WRITE_TREATMENT_NOTE)
    forms = NoteForms(note, request.POST)
    if not forms.is_valid():
        context = {"note": note, "field_errors": forms.errors()}
        return render(request, f"{TEMPLATE}#preview", context, status=422)
    text = svc.narrative_for(note, forms.content())
    return render(request, f"{TEMPLATE}#narrative", {"narrative_text": text})


@login_required
@require_POST
def note_shorthand(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """The note's form again, as posted, with the rows the shorthand lines give added (nothing
    is saved); words that could not be read are shown highlighted.

    Read as it is typed (`live=1`: the box's debounced request, and "Fill" on a page with
    scripts), the box keeps every line and the rows it gave last time are taken back first, so
    each line gives its rows once; the page swaps in the rows and the status and leaves the box
    as the clinician is typing it. "Fill" without scripts (`live` absent, a plain form post,
    answered with the whole page) takes the lines it read out of the box and leaves the unread
    words."""
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    require(request.user, Capability.WRITE_TREATMENT_NOTE)
    if not (note.status == NoteStatus.DRAFT and note.author.user_id == request.user.pk):
        return _forbidden(request, NotPermitted("Only the author of a draft can fill it."))
    live = request.POST.get("live") == "1"
    entries = NoteForms(note, request.POST).entries()
    unfill(entries.rows)
    form = ShorthandForm(request.POST)
    if live and not request.POST.get("shorthand", "").strip():
        return _render_form(request, note, NoteForms(note, entries=entries), status=200)
    if not form.is_valid():
        forms = NoteForms(note, entries=entries)
        return _render_form(
            request, note, forms, status=422, shorthand_form=form, field_errors=form.errors
        )
    filled = fill_from_shorthand(
        note=note, text=form.cleaned_data["shorthand"], planned=planned_codes(note)
    )
    merge_rows(entries.rows, filled.rows, mark=live)
    render_as = _render_form if request.headers.get("HX-Request") == "true" else _render
    response = render_as(
        request,
        note,
        NoteForms(note, entries=entries),
        status=200,
        shorthand_form=form if live else ShorthandForm(initial={"shorthand": filled.remaining}),
        shorthand_filled=filled,
    )
    # The billing preview follows the filled minutes, as it follows typed ones.
    response["HX-Trigger-After-Swap"] = "minutes-typed"
    return response


def _render_form(
    request: AuthenticatedHttpRequest,
    note: TreatmentNote,
    forms: NoteForms,
    *,
    status: int,
    **extra: Any,
) -> HttpResponse:
    context = _context(request, note, forms=forms, **extra)
    return render(request, f"{TEMPLATE}#note-form", context, status=status)


@login_required
@require_POST
def note_sign(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    """Save what is on the screen, then sign it; blocking findings are shown, nothing signed.

    The "Sign as not billable" button (`action=not_billable`) signs it with the reason given;
    without a reason nothing is saved or signed and the answer names the field."""
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    forms = NoteForms(note, request.POST)
    statement = (
        NotBillableForm(request.POST) if request.POST.get("action") == "not_billable" else None
    )
    valid = forms.is_valid()
    if statement is not None and not statement.is_valid():
        return _invalid(request, note, forms, statement.errors_by_field(), statement=statement)
    if not valid:
        return _invalid(request, note, forms, statement=statement)
    try:
        note = _save(request, note, forms)
        note = svc.note_sign(
            user=request.user,
            note=note,
            revision=note.revision,
            not_billable=statement.statement() if statement is not None else None,
        )
    except ValidationFailed as exc:
        return _invalid(request, note, forms, exc.errors, statement=statement)
    except svc.StaleRevision as exc:
        return _render(request, note, forms, status=409, conflict=str(exc))
    except svc.NoteNotSignable as exc:
        note.refresh_from_db()
        context = {"blockers": exc.findings, "not_billable_form": statement}
        # The same editing goes on: the page's autosave sent as it was left is not a conflict.
        refused = NoteForms(note, editor=forms.editor)
        return _render(request, note, refused, status=422, **context)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    messages.success(request, _signed_message(note))
    return redirect("note-detail", note_id=note.pk)


def _save(
    request: AuthenticatedHttpRequest, note: TreatmentNote, forms: NoteForms
) -> TreatmentNote:
    """Save the form's entries. A newer revision that holds exactly these entries (an autosave
    of this page that crossed the click) is no conflict: nothing of anyone's would be lost."""
    content = forms.content()
    try:
        saved: TreatmentNote = svc.note_save(
            user=request.user,
            note=note,
            revision=forms.revision,
            content=content,
            editor=forms.editor,
        )
    except svc.StaleRevision:
        note.refresh_from_db()
        differences = svc.content_differences(svc.content_of(note), content)
        drafted = differences == ["Narrative"] and not content.narrative.strip()
        if differences and not drafted:
            raise
        saved = svc.note_save(
            user=request.user,
            note=note,
            revision=note.revision,
            content=content,
            editor=forms.editor,
        )
    return saved


def _signed_message(note: TreatmentNote) -> str:
    billing = " as not billable (no charge)" if note.not_billable else ""
    if note.status == NoteStatus.COSIGN_PENDING:
        return f"Signed{billing}. Sent for co-signature: {note.cosign_reason}."
    return f"Signed{billing} and locked."


@login_required
@require_POST
def note_addendum(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            svc.note_addendum(user=request.user, note=note, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        except NotPermitted as exc:
            return _forbidden(request, exc)
        else:
            messages.success(request, "Addendum signed and added.")
            return redirect("note-detail", note_id=note.pk)
    return render(request, TEMPLATE, _context(request, note, addendum_form=form), status=422)


@login_required
@require_POST
def note_cosign(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    try:
        svc.note_cosign(user=request.user, note=note)
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("note-detail", note_id=note.pk)
    except svc.NoteNotSignable as exc:
        messages.error(request, f"Not co-signed: {exc}")
        return redirect("note-detail", note_id=note.pk)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    messages.success(request, "Co-signed.")
    return redirect("cosign-queue")


@login_required
@require_POST
def note_return(request: AuthenticatedHttpRequest, note_id: str) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            svc.note_return(user=request.user, note=note, comment=form.cleaned_data["comment"])
        except ValidationFailed as exc:
            add_errors(form, exc)
        except NotPermitted as exc:
            return _forbidden(request, exc)
        else:
            messages.success(request, "Returned to the author with your comments.")
            return redirect("cosign-queue")
    return render(request, TEMPLATE, _context(request, note, return_form=form), status=422)


@login_required
def cosign_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    queue = care_selectors.cosign_queue_for_user(user=request.user).prefetch_related("lines")
    # An OTA fieldwork educator reviews their students' notes only: no sampled review of theirs.
    sampling = (
        selectors.sampling_settings_for_user(user=request.user)
        if user_may(request.user, Capability.COSIGN)
        else None
    )
    return render(request, "care/notes/queue.html", {"queue": queue, "sampling": sampling})


def _date_of_service(raw: str) -> dt.date | None:
    """Today when left blank; None for a malformed or future date."""
    today = timezone.localdate()
    if not raw.strip():
        return today
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return day if day <= today else None


# Rendering helpers


def _context(
    request: AuthenticatedHttpRequest, note: TreatmentNote, **extra: Any
) -> dict[str, Any]:
    user = request.user
    editable = note.status == NoteStatus.DRAFT and note.author.user_id == user.pk
    lines = list(note.lines.all())
    review = selectors.review_decision(note)
    context: dict[str, Any] = {
        "note": note,
        "editable": editable,
        "history": selectors.note_history(note),
        "lines": lines,
        "goal_progress": list(note.goal_progress.select_related("goal")),
        "can_cosign": svc.may_cosign(user=user, note=note),
        "can_amend": note.locked
        and user_may(user, Capability.WRITE_TREATMENT_NOTE)
        and user.pk in {note.author.user_id, _supervisor_user_id(note)},
        "addendum_form": AddendumForm(),
        "return_form": ReturnForm(),
        "student_findings": note_student_findings(note),
        "review_decision": review,
        "review_lines": selectors.review_lines(lines, review) if review else [],
        "review_findings": selectors.review_findings(review) if review else [],
        "assistance_attestation": assistance_attestation(note),
        "assistant_offered": editable and note_assistant_offered(note=note, user=user),
    }
    if editable:
        forms = extra.pop("forms", None) or NoteForms(note)
        context["forms"] = forms
        context["not_billable_form"] = extra.pop("not_billable_form", None) or NotBillableForm()
        context["shorthand_form"] = extra.pop("shorthand_form", None) or ShorthandForm()
        content = forms.content() if forms.is_bound and forms.is_valid() else svc.content_of(note)
        context["decision"] = svc.preview_decision(note=note, content=content)
        context["warnings"] = svc.note_warnings(note=note, content=content)
        context["note_review"] = selectors.note_review_for(note)
    context.update(extra)
    return context


def _supervisor_user_id(note: TreatmentNote) -> uuid.UUID | None:
    supervisor = note.author.supervising_ot
    return supervisor.user_id if supervisor else None


def _render(
    request: AuthenticatedHttpRequest,
    note: TreatmentNote,
    forms: NoteForms,
    *,
    status: int,
    **extra: Any,
) -> HttpResponse:
    return render(request, TEMPLATE, _context(request, note, forms=forms, **extra), status=status)


def _invalid(
    request: AuthenticatedHttpRequest,
    note: TreatmentNote,
    forms: NoteForms,
    errors: dict[str, list[str]] | None = None,
    *,
    statement: NotBillableForm | None = None,
) -> HttpResponse:
    field_errors = forms.errors()
    field_errors.update(errors or {})
    context = {"field_errors": field_errors, "not_billable_form": statement}
    return _render(request, note, forms, status=422, **context)


def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    context = {"title": "Not allowed", "status": 403, "message": str(exc)}
    return render(request, "web/error.html", context, status=403)
