"""The keyed hash chain: the key, each entry's HMAC, and appending a batch at commit time.

An entry's hash is HMAC-SHA256 under `AUDIT_KEY`, a key that lives outside the database (the
environment or a file): whoever can write to the database but does not hold the key cannot
recompute the hashes after an edit. Without `AUDIT_KEY` the key is derived from SECRET_KEY with
a salt of its own, so development and the tests need nothing.
"""

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from otclinic.clinic.audit.models import INSTALLATION_CHAIN, AuditChainHead, AuditEvent

GENESIS = "0" * 64
_SALT = b"otclinic.audit.chain.v1"


def audit_key() -> bytes:
    """The chain's key: AUDIT_KEY (or AUDIT_KEY_FILE), else derived from SECRET_KEY."""
    configured = getattr(settings, "AUDIT_KEY", "")
    if configured:
        return str(configured).encode()
    return hmac.new(str(settings.SECRET_KEY).encode(), _SALT, hashlib.sha256).digest()


def sign(message: str, *, key: bytes | None = None) -> str:
    return hmac.new(key or audit_key(), message.encode(), hashlib.sha256).hexdigest()


def canonical(payload: dict[str, object]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


def entry_digest(*, prev_hash: str, payload: dict[str, object], key: bytes | None = None) -> str:
    """The hash of one entry: HMAC-SHA256 over the previous hash and the entry's canonical JSON."""
    return sign(f"{prev_hash}|{canonical(payload)}", key=key)


def chain_of(organization_id: uuid.UUID | str | None) -> str:
    """The name of the chain an entry belongs to: its organization's id, or the installation's."""
    return str(organization_id) if organization_id else INSTALLATION_CHAIN


def payload_of(event: AuditEvent) -> dict[str, object]:
    """What an entry's hash covers: every stored field but the hashes and the global `seq`."""
    return payload_from(vars(event))


def payload_from(row: Mapping[str, Any]) -> dict[str, object]:
    """`payload_of` for an entry's stored values (a model instance's, or a `values()` row)."""
    payload: dict[str, object] = {
        "at": row["at"].isoformat(),
        "actor_id": str(row["actor_id"]) if row["actor_id"] else None,
        "actor_role": row["actor_role"],
        "organization_id": str(row["organization_id"]) if row["organization_id"] else None,
        "position": row["position"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "patient_id": str(row["patient_id"]) if row["patient_id"] else None,
        "ip_address": row["ip_address"],
        "fields": list(row["fields"]),
        "detail": row["detail"],
    }
    if row["object_ids"]:
        payload["object_ids"] = list(row["object_ids"])
    return payload


def _locked_heads(chains: Sequence[str]) -> dict[str, AuditChainHead]:
    """Each chain's head row, locked until the commit (in sorted order: no deadlock between two
    committers), created first for a chain's first entry."""
    locked = AuditChainHead.objects.select_for_update().order_by("chain")
    heads = {head.chain: head for head in locked.filter(chain__in=chains)}
    new = [c for c in chains if c not in heads]
    if new:
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(chain=c, last_hash=GENESIS, entries=0) for c in new],
            ignore_conflicts=True,
        )
        heads.update({head.chain: head for head in locked.filter(chain__in=new)})
    return heads


def append_batch(events: Sequence[AuditEvent]) -> None:
    """Link `events` to their chains and insert them in one statement; the caller's transaction
    commits right after, so the head rows stay locked for milliseconds."""
    by_chain: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_chain.setdefault(chain_of(event.organization_id), []).append(event)
    heads = _locked_heads(sorted(by_chain))
    key = audit_key()
    for chain, chained in by_chain.items():
        head = heads[chain]
        prev, position = head.last_hash, head.entries
        for event in chained:
            position += 1
            event.position = position
            event.prev_hash = prev
            event.entry_hash = prev = entry_digest(
                prev_hash=prev, payload=payload_of(event), key=key
            )
        AuditChainHead.objects.filter(chain=chain).update(last_hash=prev, entries=position)
    AuditEvent.objects.bulk_create(list(events))
