"""Writes of the assistant: its settings, starting a draft, running it, handing it to the page.

A draft runs as a background task (`tasks.draft_narrative`) with the organization's time limit.
On any failure (the model is off, unreachable, slow, answers nonsense, or states figures that
are not on the note) the page gets the deterministic draft and a plain message instead. Every
call of the model is audited: who asked, for which note, which model and how long it took;
never the text sent or received. The model's text only ever lands in the editable narrative.
"""

import logging
import os
import time
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.assistant import running, selectors
from otclinic.clinic.assistant.models import AssistantDraft, AssistantSettings, DraftStatus
from otclinic.clinic.assistant.provider import ChatProvider, ProviderError
from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.care.narrative import narrative_content
from otclinic.clinic.care.services import notes as care
from otclinic.clinic.common.errors import NotPermitted
from otclinic.domain.access import Capability
from otclinic.domain.care import assistant as rules
from otclinic.domain.care.narrative import draft_narrative
from otclinic.domain.care.phi import minimise, restore
from otclinic.domain.codes import Role

log = logging.getLogger(__name__)

FELL_BACK = "The assistant could not draft this time ({why}); the standard draft is shown."


@transaction.atomic
def settings_save(*, user: User, values: dict[str, Any]) -> AssistantSettings:
    """Save the organization's assistant settings (the clinic admin's page)."""
    require(user, Capability.MANAGE_STAFF)
    organization_id = organization_id_of(user)
    current = selectors.settings_for(organization_id)
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    audit_record(
        action=AuditAction.UPDATE,
        object_type="assistant.assistantsettings",
        object_id=current.pk,
        fields=sorted(values),
        detail="documentation assistant settings",
    )
    return current


@transaction.atomic
def draft_start(*, user: User, note: TreatmentNote, content: care.NoteContent) -> AssistantDraft:
    """Queue a narrative draft of `note` from the entries as typed (`content`).

    Only the note's author, on a draft, with the assistant turned on. What will be sent is
    minimised now; the originals stay in this organization's database until the page takes
    the draft."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    if not selectors.assistant_offered(note=note, user=user):
        raise NotPermitted("The assistant is not turned on for this organization's notes.")
    facts = narrative_content(note, content)
    known = selectors.note_identifiers(note)
    # The caregivers named on the page as typed, saved or not, are identifiers too.
    who = replace(known, names=known.names + tuple(c.who for c in facts.caregiver if c.who))
    masked = [minimise(m["content"], who) for m in rules.narrative_messages(facts)]
    originals = {k: v for m in masked for k, v in m.originals.items()}
    messages = [
        {"role": role, "content": m.text}
        for role, m in zip(("system", "user"), masked, strict=True)
    ]
    draft = AssistantDraft.objects.create(
        organization_id=note.organization_id,
        note=note,
        requested_by=user,
        messages=messages,
        originals=originals,
        fallback=draft_narrative(facts),
        model=selectors.settings_for(note.organization_id).model,
    )
    from otclinic.clinic.assistant.tasks import draft_narrative as task

    queued = task.enqueue(str(draft.pk))
    AssistantDraft.objects.filter(pk=draft.pk).update(task_result_id=str(queued.id))
    log.info("assistant draft queued draft=%s note=%s", draft.pk, note.pk)
    return draft


def draft_run(*, draft_id: Any) -> str:
    """Ask the model for the draft (the worker's side); the status it ended with."""
    if not running.claim(AssistantDraft, draft_id):
        return "skipped"
    draft = AssistantDraft.objects.select_related("requested_by", "note").get(pk=draft_id)
    config = selectors.settings_for(draft.organization_id)
    (text, why), duration_ms = running.timed(lambda: _ask(config, draft))
    with transaction.atomic(), acting_as(actor_for_user(draft.requested_by)):
        _finish(draft, text=text, why=why, model=config.model, duration_ms=duration_ms)
    return str(draft.status)


def provider_for(config: AssistantSettings) -> ChatProvider:
    """The organization's model; its key is read from the environment variable it names."""
    return ChatProvider(
        base_url=config.base_url,
        model=config.model,
        api_key=os.environ.get(config.api_key_env, "") if config.api_key_env else "",
        timeout=float(config.timeout_seconds),
    )


def _ask(config: AssistantSettings, draft: AssistantDraft) -> tuple[str, str]:
    """The model's draft with the identifiers put back, or why there is none."""
    if not config.enabled:
        return "", "the assistant has been turned off"
    provider = provider_for(config)
    try:
        ask = provider.stream if config.streaming else provider.complete
        reply = ask(draft.messages)
    except ProviderError as exc:
        return "", str(exc)
    sent = "\n".join(m["content"] for m in draft.messages)
    problems = rules.narrative_problems(reply, sent=sent)
    if problems:
        return "", "its draft stated figures that are not on the note"
    return restore(reply.strip(), draft.originals), ""


def _finish(draft: AssistantDraft, *, text: str, why: str, model: str, duration_ms: int) -> None:
    draft.status = DraftStatus.DONE if text else DraftStatus.FALLBACK
    draft.text = text
    draft.message = FELL_BACK.format(why=why)[:300] if why else ""
    draft.model, draft.duration_ms = model, duration_ms
    draft.finished_at = timezone.now()
    draft.save()
    audit_record(
        action=AuditAction.CREATE,
        object_type="care.treatmentnote",
        object_id=draft.note_id,
        patient_id=draft.note.episode.patient_id,
        detail=(f"assistant draft {draft.status}: model {model or '-'}, {duration_ms} ms"),
    )
    log.info(
        "assistant draft finished draft=%s note=%s status=%s ms=%s",
        draft.pk,
        draft.note_id,
        draft.status,
        duration_ms,
    )


@transaction.atomic
def draft_take(*, user: User, draft: AssistantDraft) -> tuple[str, str] | None:
    """The text for the page's narrative field and a message, once the draft is finished
    (None while it is not). Taking a model's draft marks the note as drafted with assistance;
    the draft's text and the placeholders' originals are then cleared."""
    draft = AssistantDraft.objects.select_for_update().select_related("note").get(pk=draft.pk)
    if draft.requested_by_id != user.pk:
        raise NotPermitted("Only the clinician who asked for this draft may take it.")
    if not draft.finished and not running.lost(draft):
        return None
    if not draft.finished:
        _finish(draft, text="", why="it did not answer in time", model=draft.model, duration_ms=0)
    text = draft.text or draft.fallback
    if draft.status == DraftStatus.DONE and draft.delivered_at is None:
        TreatmentNote.objects.filter(pk=draft.note_id, status="draft").update(
            drafted_with_assistance=True
        )
    if draft.delivered_at is None:
        draft.delivered_at = timezone.now()
    draft.messages, draft.originals = [], {}
    draft.save()
    message = draft.message or "Drafted with the assistant: read and edit it before signing."
    return text, message


def shorthand_read(*, user: User, note: TreatmentNote, lines: list[str]) -> rules.ShorthandReading:
    """What the model reads in shorthand lines the grammar could not: proposed entries, each
    checked as a typed line is (a code of the note's plan, whole minutes, a known person), for
    the clinician to confirm; the lines it could not read stay unread, as typed. Nothing is
    written to the note. On any failure every line stays unread."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    if not selectors.assistant_offered(note=note, user=user) or not lines:
        return rules.ShorthandReading((), tuple(lines))
    config = selectors.settings_for(note.organization_id)
    who = selectors.note_identifiers(note)
    masked = [minimise(line, who) for line in lines]
    originals = {k: v for m in masked for k, v in m.originals.items()}
    provider = provider_for(config)
    started = time.monotonic()
    try:
        reply = provider.complete(rules.shorthand_messages([m.text for m in masked]))
    except ProviderError:
        reply = ""
    duration_ms = round((time.monotonic() - started) * 1000)
    audit_record(
        action=AuditAction.VIEW,
        object_type="care.treatmentnote",
        object_id=note.pk,
        patient_id=note.episode.patient_id,
        detail=f"assistant read {len(lines)} shorthand lines: model {config.model}, {duration_ms} ms",
    )
    reading = rules.shorthand_reading(
        restore(reply, originals),
        lines,
        codes=frozenset(selectors.plan_codes(note)),
        default_who="assistant" if user.role in {Role.OTA, Role.PTA} else "therapist",
    )
    return reading
