"""Recording audit entries; verifying the chains, the checkpoints and the signatures.

An entry recorded inside a transaction waits on the connection and is appended to its
organization's chain just before the transaction commits (audit.backends.pending); outside a
transaction it is written at once. A read of patient data (`audit_read`) is written at once
outside the chain, and sealed into it later (audit.seals). Verification is in audit.verify.
"""

import secrets
import uuid
from collections.abc import Iterable

from django.db import connections, router, transaction
from django.utils import timezone

from otclinic.clinic.audit.chain import GENESIS, append_batch, entry_digest, payload_of
from otclinic.clinic.audit.context import Actor, current_actor
from otclinic.clinic.audit.models import UNCHAINED, AuditAction, AuditEvent
from otclinic.clinic.audit.verify import ChainReport, audit_verify

__all__ = [
    "GENESIS",
    "ChainReport",
    "audit_bulk",
    "audit_read",
    "audit_record",
    "audit_verify",
    "entry_digest",
    "payload_of",
]


def _defer(event: AuditEvent) -> None:
    connection = connections[router.db_for_write(AuditEvent)]
    defer = getattr(connection, "audit_defer", None)
    if defer is not None:
        defer(event)
        return
    # A backend without the commit-time append (not otclinic's settings): write it now.
    with transaction.atomic(using=connection.alias):
        append_batch([event])


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
    """Record one entry. Inside a transaction it is appended when the transaction commits (and
    dropped if it rolls back); the returned entry gets its `seq` and hash then. Outside one, it
    is written before this returns."""
    event = _event(
        action=action,
        object_type=object_type,
        object_id=object_id,
        organization_id=organization_id,
        patient_id=patient_id,
        fields=fields,
        detail=detail,
        actor=actor,
        object_ids=object_ids,
    )
    _defer(event)
    return event


def _event(
    *,
    action: AuditAction,
    object_type: str,
    object_id: object,
    organization_id: uuid.UUID | None,
    patient_id: uuid.UUID | None,
    fields: Iterable[str],
    detail: str,
    actor: Actor | None,
    object_ids: Iterable[object],
) -> AuditEvent:
    actor = actor or current_actor()
    return AuditEvent(
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
        detail=(detail or actor.via)[:200],
    )


def audit_read(
    *,
    object_type: str,
    object_id: object,
    object_ids: Iterable[object],
    detail: str,
    patient_id: uuid.UUID | None = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Record a read (VIEW) at once, outside the chain: one INSERT, no lock on the chain's head,
    inside the caller's transaction if there is one (a rollback drops it, as for any entry).

    Its hash is the keyed HMAC of the entry and a random nonce kept in `prev_hash`, so a changed
    or forged read fails verify on its own; the `audit-seal-reads` job then covers it with a
    SEAL entry of its organization's chain (audit.seals), after which removing it is caught
    too."""
    event = _event(
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        organization_id=None,
        patient_id=patient_id,
        fields=(),
        detail=detail,
        actor=actor,
        object_ids=object_ids,
    )
    event.position = UNCHAINED
    event.prev_hash = secrets.token_hex(32)
    event.entry_hash = entry_digest(prev_hash=event.prev_hash, payload=payload_of(event))
    event.save(using=router.db_for_write(AuditEvent))
    return event


def audit_bulk(
    *,
    object_type: str,
    object_ids: Iterable[object],
    organization_id: uuid.UUID | None,
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
