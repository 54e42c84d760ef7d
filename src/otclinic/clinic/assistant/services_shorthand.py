"""Writes of the assistant's shorthand reading: asking, running it, and the clinician's
Accept or Discard of each proposal.

The note page's unread shorthand lines are minimised and read by the organization's model as a
background task (`tasks.read_shorthand`), with the organization's time limit. Its answer becomes
proposals, each checked as a typed line is (a code of the plan that the code table holds,
minutes within the visit, a known person, devices the grammar knows) and written back as a line
of the grammar, so that an accepted proposal fills its row through the same parser and billing
check as a typed line. Nothing is a note line until the clinician accepts it, and a note is not
signed while a proposal waits (`selectors.pending_proposals`, the `care.hooks` question).
Every call is audited (who, note, model, duration), never with text.
"""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.assistant import running, selectors
from otclinic.clinic.assistant.models import DraftStatus, ProposalState, ShorthandAsk
from otclinic.clinic.assistant.provider import ProviderError
from otclinic.clinic.assistant.services import provider_for
from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.care.selectors_shorthand import organization_lexicon
from otclinic.clinic.care.shorthand_fill import writer_of
from otclinic.clinic.common.errors import NotPermitted
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.domain.access import Capability
from otclinic.domain.care import assistant as rules
from otclinic.domain.care.phi import minimise, restore
from otclinic.domain.care.shorthand import Lexicon, parse_line
from otclinic.domain.codes import Role

log = logging.getLogger(__name__)
MOST_LINES = 20
NOT_READ = "The assistant could not read these lines ({why}); they stay highlighted for you."


class AskRefused(ValueError):
    """The lines cannot be sent: none, or too many."""


@transaction.atomic
def shorthand_ask_start(
    *, user: User, note: TreatmentNote, lines: list[str], max_minutes: int
) -> ShorthandAsk:
    """Queue a reading of `lines` (the box's unread lines) by the model; `max_minutes` is the
    visit's (no proposal may hold more). Earlier proposals of the note still waiting are
    discarded: the lines are read again."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    if not selectors.assistant_offered(note=note, user=user):
        raise NotPermitted("The assistant is not turned on for this organization's notes.")
    if not lines or len(lines) > MOST_LINES:
        raise AskRefused(f"Send from 1 to {MOST_LINES} unread lines.")
    for earlier in ShorthandAsk.objects.for_org(note.organization_id).filter(note=note):
        _discard_pending(earlier)
    who = selectors.note_identifiers(note)
    masked = [minimise(line, who) for line in lines]
    ask = ShorthandAsk.objects.create(
        organization_id=note.organization_id,
        note=note,
        requested_by=user,
        lines=[{"text": line, "masked": m.text} for line, m in zip(lines, masked, strict=True)],
        originals={k: v for m in masked for k, v in m.originals.items()},
        max_minutes=max(1, min(max_minutes, rules.MAX_LINE_MINUTES)),
        model=selectors.settings_for(note.organization_id).model,
    )
    from otclinic.clinic.assistant.tasks import read_shorthand

    queued = read_shorthand.enqueue(str(ask.pk))
    ShorthandAsk.objects.filter(pk=ask.pk).update(task_result_id=str(queued.id))
    log.info("assistant shorthand queued ask=%s note=%s lines=%s", ask.pk, note.pk, len(lines))
    return ask


def _discard_pending(ask: ShorthandAsk) -> None:
    if ask.pending():
        for p in ask.pending():
            p["state"] = ProposalState.DISCARDED
        ask.save(update_fields=["proposals", "updated_at"])


def shorthand_ask_run(*, ask_id: Any) -> str:
    """Ask the model to read the lines (the worker's side); the status it ended with."""
    if not running.claim(ShorthandAsk, ask_id):
        return "skipped"
    ask = ShorthandAsk.objects.select_related("requested_by", "note__episode").get(pk=ask_id)
    config = selectors.settings_for(ask.organization_id)
    (reply, why), duration_ms = running.timed(lambda: _ask(config, ask))
    reading = _reading(ask, reply) if reply else None
    with transaction.atomic(), acting_as(actor_for_user(ask.requested_by)):
        _finish(ask, reading=reading, why=why, model=config.model, duration_ms=duration_ms)
    return str(ask.status)


def _ask(config: Any, ask: ShorthandAsk) -> tuple[str, str]:
    if not config.enabled:
        return "", "the assistant has been turned off"
    try:
        reply = provider_for(config).complete(
            rules.shorthand_messages([line["masked"] for line in ask.lines])
        )
    except ProviderError as exc:
        return "", str(exc)
    return restore(reply, ask.originals), ""


def _reading(ask: ShorthandAsk, reply: str) -> rules.ShorthandReading:
    codes = set(selectors.plan_codes(ask.note)) & set(
        rulebook_for_organization(ask.organization_id).codes
    )
    role = Role(ask.requested_by.role)
    return rules.shorthand_reading(
        reply,
        [line["text"] for line in ask.lines],
        codes=frozenset(codes),
        default_who="assistant" if role.is_assistant else "therapist",
        max_minutes=ask.max_minutes,
    )


def _finish(
    ask: ShorthandAsk,
    *,
    reading: rules.ShorthandReading | None,
    why: str,
    model: str,
    duration_ms: int,
) -> None:
    lexicon = organization_lexicon(ask.organization_id)
    writer = writer_of(ask.requested_by.role)
    proposals: list[dict[str, Any]] = []
    refused = [list(r) for r in reading.refused] if reading else []
    for entry in reading.proposed if reading else ():
        checked = _as_proposal(entry, lexicon=lexicon, writer=writer)
        if isinstance(checked, str):
            refused.append([entry.line, checked])
        else:
            proposals.append(checked)
    ask.status = DraftStatus.DONE if proposals else DraftStatus.FALLBACK
    ask.proposals, ask.refused = proposals, refused
    ask.message = NOT_READ.format(why=why)[:300] if why else ""
    ask.model, ask.duration_ms = model, duration_ms
    ask.lines, ask.originals = [{"text": line["text"]} for line in ask.lines], {}
    ask.finished_at = timezone.now()
    ask.save()
    audit_record(
        action=AuditAction.VIEW,
        object_type="care.treatmentnote",
        object_id=ask.note_id,
        patient_id=ask.note.episode.patient_id,
        detail=(
            f"assistant shorthand {ask.status}: {len(ask.lines)} lines, {len(proposals)} "
            f"proposed, model {model or '-'}, {duration_ms} ms"
        ),
    )
    log.info(
        "assistant shorthand finished ask=%s note=%s status=%s ms=%s",
        ask.pk,
        ask.note_id,
        ask.status,
        duration_ms,
    )


def _as_proposal(
    entry: rules.ProposedEntry, *, lexicon: Lexicon, writer: Any
) -> dict[str, Any] | str:
    """The proposal as the grammar reads it back, or why it cannot be one. Devices the grammar
    does not know are left out (and said so); the line must read back as the same code and
    minutes, with nothing unread."""
    known = tuple(d for d in entry.devices if _a_device(d, lexicon))
    text = rules.proposal_line(entry, devices=known)
    line = parse_line(text, writer=writer, planned=(entry.code,), lexicon=lexicon)
    if line.code != entry.code or line.minutes.total != entry.minutes or line.unread:
        return "its entry does not read back as a line of the grammar"
    dropped = [d for d in entry.devices if d not in known]
    return {
        "line": entry.line,
        "text": text,
        "code": entry.code,
        "minutes": entry.minutes,
        "who": entry.who,
        "assist_level": entry.assist_level,
        "devices": list(known),
        "state": ProposalState.PROPOSED,
        "note": f"left out devices the shorthand table does not know: {', '.join(dropped)}"[:200]
        if dropped
        else "",
    }


def _a_device(word: str, lexicon: Lexicon) -> bool:
    read = parse_line(word, lexicon=lexicon)
    return bool(read.devices) and not read.unread and read.code is None


@transaction.atomic
def shorthand_ask_take(*, user: User, ask: ShorthandAsk) -> ShorthandAsk | None:
    """The finished reading for the page (None while the model works); a reading whose worker
    never came is finished with every line left unread."""
    ask = ShorthandAsk.objects.select_for_update().select_related("note__episode").get(pk=ask.pk)
    if ask.requested_by_id != user.pk:
        raise NotPermitted("Only the clinician who asked may see this reading.")
    if ask.finished:
        return ask
    if not running.lost(ask):
        return None
    ask.requested_by = user
    _finish(ask, reading=None, why="it did not answer in time", model=ask.model, duration_ms=0)
    return ask


@transaction.atomic
def proposal_decide(*, user: User, ask: ShorthandAsk, index: int, accept: bool) -> dict[str, Any]:
    """Accept or discard one proposal (the author of the draft note only); the proposal."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    ask = (
        ShorthandAsk.objects.select_for_update()
        .select_related("note__author", "note__episode")
        .get(pk=ask.pk)
    )
    if ask.requested_by_id != user.pk or not selectors.note_is_authors_draft(ask.note, user):
        raise NotPermitted("Only the author of the draft note decides its proposals.")
    if not 0 <= index < len(ask.proposals):
        raise AskRefused("No such proposal.")
    proposal = ask.proposals[index]
    if proposal["state"] != ProposalState.PROPOSED:
        raise AskRefused("This proposal was already decided.")
    proposal["state"] = ProposalState.ACCEPTED if accept else ProposalState.DISCARDED
    ask.save(update_fields=["proposals", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        object_type="care.treatmentnote",
        object_id=ask.note_id,
        patient_id=ask.note.episode.patient_id,
        detail=f"assistant shorthand proposal {proposal['state']}: {proposal['code']}",
    )
    return dict(proposal)
