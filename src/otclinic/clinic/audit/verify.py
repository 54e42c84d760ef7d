"""`otclinic audit verify`: every chain, every checkpoint, every signature.

1. Each organization's chain (and the installation's) is walked in position order: positions
   run 1, 2, 3 ... with no gap, each entry names the hash before it, and each hash is the HMAC
   of the entry under the key (which the database does not hold).
2. Each chain ends where its head row says, and every head has its chain.
3. Every checkpoint written outside the database (audit.checkpoints) is still in its chain.
4. Every read written outside the chain (audit.seals) carries its own keyed hash, and every
   SEAL entry's reads are all there, unchanged, in order.
5. Every signature's content hash matches the document it signed (audit.signatures).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from otclinic.clinic.audit.chain import GENESIS, audit_key, chain_of, entry_digest, payload_from
from otclinic.clinic.audit.checkpoints import Checkpoint, CheckpointForged, checkpoints_read
from otclinic.clinic.audit.models import UNCHAINED, AuditAction, AuditChainHead, AuditEvent
from otclinic.clinic.audit.seals import ReadsBroken, check_reads
from otclinic.clinic.audit.signatures import signatures_verify


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    problem: str = ""
    chains: int = 0
    checkpoints: int = 0
    signatures: int = 0
    problems: tuple[str, ...] = field(default=())
    # Of `entries`: the reads written outside the chain, and those no SEAL entry covers yet.
    reads: int = 0
    unsealed: int = 0


@dataclass
class _Walk:
    """The state of one chain's walk."""

    chain: str
    prev: str = GENESIS
    position: int = 0


class _Broken(Exception):
    entries = 0


_COLUMNS = [f.attname for f in AuditEvent._meta.concrete_fields]


def _entries(batch_size: int) -> Iterator[dict[str, Any]]:
    """Every chained entry's stored values, chain by chain in position order (plain rows: verify
    reads every entry, and building model instances would be most of its time)."""
    rows = (
        AuditEvent.objects.exclude(position=UNCHAINED)
        .order_by("organization_id", "position")
        .values(*_COLUMNS)
    )
    yield from rows.iterator(chunk_size=batch_size)


def _check_entry(walk: _Walk, row: dict[str, Any], key: bytes) -> None:
    walk.position += 1
    if row["position"] != walk.position or row["prev_hash"] != walk.prev:
        raise _Broken(f"entry {row['seq']}: does not follow the entry before it")
    digest = entry_digest(prev_hash=walk.prev, payload=payload_from(row), key=key)
    if digest != row["entry_hash"]:
        raise _Broken(f"entry {row['seq']}: its contents were changed after it was written")
    walk.prev = row["entry_hash"]


def _check_end(walk: _Walk, heads: dict[str, AuditChainHead]) -> None:
    head = heads.pop(walk.chain, None)
    if head is None:
        raise _Broken(f"chain {walk.chain}: its head row is missing")
    if head.last_hash != walk.prev or head.entries != walk.position:
        raise _Broken(
            f"chain {walk.chain}: the last entries were removed: the chain ends early "
            f"({walk.position} entries, its head says {head.entries})"
        )


def _walk_chains(
    batch_size: int, wanted: dict[tuple[str, int], str], sealed: set[Any]
) -> tuple[int, int]:
    """Walk every chain; return (entries, chains). `wanted` maps (chain, position) to the hash a
    checkpoint recorded there; each one found is removed from it. The organizations with a SEAL
    entry are added to `sealed`."""
    key = audit_key()
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    count = chains = 0
    walk: _Walk | None = None
    for row in _entries(batch_size):
        chain = chain_of(row["organization_id"])
        if walk is None or walk.chain != chain:
            if walk is not None:
                _check_end(walk, heads)
            walk, chains = _Walk(chain), chains + 1
        count += 1
        try:
            _check_entry(walk, row, key)
        except _Broken as exc:
            exc.entries = count - 1
            raise
        if row["action"] == AuditAction.SEAL:
            sealed.add(row["organization_id"])
        expected = wanted.pop((chain, walk.position), None)
        if expected is not None and expected != row["entry_hash"]:
            raise _Broken(f"entry {row['seq']}: differs from the checkpointed entry")
    if walk is not None:
        _check_end(walk, heads)
    for head in heads.values():
        if head.entries:
            raise _Broken(f"chain {head.chain}: its {head.entries} entries are missing")
    return count, chains


def _checkpoint_targets(checkpoints: list[Checkpoint]) -> dict[tuple[str, int], str]:
    wanted: dict[tuple[str, int], str] = {}
    for checkpoint in checkpoints:
        for chain, (entries, last_hash) in checkpoint.chains.items():
            if entries:
                wanted[(chain, entries)] = last_hash
    return wanted


def _missing_checkpoint(wanted: dict[tuple[str, int], str], checkpoints: list[Checkpoint]) -> str:
    chain, entries = min(wanted)
    when = next(c.written_at for c in checkpoints if c.chains.get(chain, (0, ""))[0] == entries)
    return (
        f"chain {chain}: the checkpoint of {when} recorded {entries} entries, which the "
        "database no longer holds (entries removed, or the table emptied)"
    )


def audit_verify(*, batch_size: int = 5000, signatures: bool = True) -> ChainReport:
    """Verify the chains against their heads and checkpoints, then every signature; report the
    first broken entry of the chains and every signature that no longer matches."""
    try:
        checkpoints = checkpoints_read()
    except CheckpointForged as exc:
        return ChainReport(0, False, str(exc))
    wanted = _checkpoint_targets(checkpoints)
    sealed: set[Any] = set()
    try:
        count, chains = _walk_chains(batch_size, wanted, sealed)
        if wanted:
            raise _Broken(_missing_checkpoint(wanted, checkpoints))
    except _Broken as exc:
        return ChainReport(exc.entries, False, str(exc), checkpoints=len(checkpoints))
    try:
        reads = check_reads(key=audit_key(), sealed=sealed, batch_size=batch_size)
    except ReadsBroken as exc:
        return ChainReport(count, False, str(exc), chains=chains, checkpoints=len(checkpoints))
    count += reads.reads
    signed, mismatched = signatures_verify() if signatures else (0, [])
    return ChainReport(
        entries=count,
        ok=not mismatched,
        problem=mismatched[0] if mismatched else "",
        chains=chains,
        checkpoints=len(checkpoints),
        signatures=signed,
        problems=tuple(mismatched),
        reads=reads.reads,
        unsealed=reads.unsealed,
    )
