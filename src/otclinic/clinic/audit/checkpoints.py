"""Signed checkpoints of the chains, kept outside the database.

A checkpoint is a small JSON file in AUDIT_CHECKPOINT_DIR holding, for every chain, its length
and last hash, signed with the chain's key. Verify checks that each chain still holds every
checkpointed entry: emptying the table, dropping a chain's head or cutting its tail and
rewriting the head is caught, since the database no longer reaches what the file recorded.

Each file names the database it describes (vendor, host and name), so checkpoints of another
database in the same folder (a restored copy, a test database) are not held against this one.
"""

import datetime as dt
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from otclinic.clinic.audit.chain import canonical, sign
from otclinic.clinic.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    written_at: str
    chains: dict[str, tuple[int, str]]


class CheckpointForged(ValueError):
    """A checkpoint file whose signature does not match: it was written without the key."""


def database_label() -> str:
    """The database the chains live in, as a checkpoint names it."""
    db = connections[router.db_for_write(AuditEvent)].settings_dict
    return f"{db['ENGINE'].rsplit('.', 1)[-1]}:{db.get('HOST') or ''}:{db['NAME']}"


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _body_signature(body: dict[str, object]) -> str:
    return sign("checkpoint|" + canonical(body))


def checkpoint_write(*, directory: Path | None = None) -> Path:
    """Write a signed checkpoint of every chain's length and last hash; return its path."""
    directory = directory or checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now().astimezone(dt.UTC)
    chains = {h.chain: {"entries": h.entries, "last_hash": h.last_hash} for h in _heads()}
    body: dict[str, object] = {
        "database": database_label(),
        "written_at": now.isoformat(),
        "chains": chains,
    }
    path = directory / f"checkpoint-{now:%Y%m%dT%H%M%S%fZ}.json"
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(body | {"signature": _body_signature(body)}, indent=1))
    os.replace(partial, path)
    return path


def _heads() -> list[AuditChainHead]:
    return list(AuditChainHead.objects.filter(entries__gt=0).order_by("chain"))


def checkpoints_read(*, directory: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint of this database, oldest first; a forged one raises CheckpointForged."""
    directory = directory or checkpoint_dir()
    if not directory.is_dir():
        return []
    label = database_label()
    found = []
    for path in sorted(directory.glob("checkpoint-*.json")):
        data = json.loads(path.read_text())
        signature = data.pop("signature", "")
        if data.get("database") != label:
            continue
        if not hmac.compare_digest(str(signature), _body_signature(data)):
            raise CheckpointForged(f"checkpoint {path.name}: its signature does not match")
        chains = {c: (int(v["entries"]), str(v["last_hash"])) for c, v in data["chains"].items()}
        found.append(Checkpoint(path=path, written_at=data["written_at"], chains=chains))
    return found
