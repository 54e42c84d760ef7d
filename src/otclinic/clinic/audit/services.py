"""Appending to the audit trail and verifying its hash chain."""

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from otclinic.clinic.audit.context import Actor, current_actor
from otclinic.clinic.audit.models import AuditAction, AuditChainHead, AuditEvent

GENESIS = "0" * 64


def entry_digest(*, prev_hash: str, payload: dict[str, object]) -> str:
    """The hash of one entry: SHA-256 over the previous hash and the entry's canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, object]:
    payload: dict[str, object] = {
        "at": event.at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_role": event.actor_role,
        "organization_id": str(event.organization_id) if event.organization_id else None,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "patient_id": str(event.patient_id) if event.patient_id else None,
        "ip_address": event.ip_address,
        "fields": list(event.fields),
        "detail": event.detail,
    }
    if event.object_ids:
        # Only bulk entries carry the list, so entries written before it existed still verify.
        payload["object_ids"] = list(event.object_ids)
    return payload


@transaction.atomic
def audit_record(
    *,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    organization_id: uuid.UUID | None = None,
    patient_id: uuid.UUID | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
    actor: Actor | None = None,
    object_ids: Iterable[object] = (),
) -> AuditEvent:
    """Append one entry, chained to the last. Runs inside the caller's transaction, if any."""
    actor = actor or current_actor()
    # Taking the head row's write lock first serialises appenders on PostgreSQL and SQLite alike.
    updated = AuditChainHead.objects.filter(id=1).update(entries=F("entries") + 1)
    if not updated:
        AuditChainHead.objects.create(id=1, last_hash=GENESIS, entries=1)
    head = AuditChainHead.objects.get(id=1)
    event = AuditEvent(
        at=timezone.now(),
        actor_id=actor.user_id,
        actor_role=actor.role,
        organization_id=organization_id or actor.organization_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        patient_id=patient_id,
        ip_address=actor.ip_address,
        fields=sorted(fields),
        object_ids=[str(i) for i in object_ids],
        detail=detail[:200],
        prev_hash=head.last_hash,
    )
    event.entry_hash = entry_digest(prev_hash=head.last_hash, payload=_payload(event))
    event.save()
    AuditChainHead.objects.filter(id=1).update(last_hash=event.entry_hash)
    return event


def audit_bulk(
    *,
    object_type: str,
    object_ids: Iterable[object],
    organization_id: uuid.UUID,
    action: AuditAction = AuditAction.BULK,
    fields: Iterable[str] = (),
    detail: str = "",
    actor: Actor | None = None,
) -> AuditEvent:
    """One entry for a bulk write (`bulk_create`, `bulk_update`, `QuerySet.update`), which sends
    no per-row signals: it names every row touched, so "who changed this claim" still finds it."""
    ids = list(object_ids)
    return audit_record(
        action=action,
        object_type=object_type,
        object_id=f"{len(ids)} rows",
        organization_id=organization_id,
        fields=fields,
        detail=detail,
        actor=actor,
        object_ids=ids,
    )


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    problem: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and recompute every hash; report the first break."""
    prev = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        count += 1
        if event.prev_hash != prev:
            return ChainReport(
                count, False, f"entry {event.seq}: does not follow the entry before it"
            )
        if entry_digest(prev_hash=prev, payload=_payload(event)) != event.entry_hash:
            return ChainReport(
                count, False, f"entry {event.seq}: its contents were changed after it was written"
            )
        prev = event.entry_hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head and head.last_hash != prev:
        return ChainReport(count, False, "the last entries were removed: the chain ends early")
    return ChainReport(count, True)
