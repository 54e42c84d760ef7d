"""Reads sealed into the chain in batches, and verify's check of every read.

A read of patient data is written at once outside its organization's chain, in one INSERT with
no lock (`services.audit_read`): every page that shows a patient writes one, and taking the
chain head's row lock on each of them made every chart view of an organization queue on one
row. Its hash is the keyed HMAC of the entry and a random nonce (`prev_hash`), so a read changed
or forged without the key fails verify from the moment it is written.

`seal_reads` (the `audit-seal-reads` job, every five minutes, and `otclinic audit seal`) then
covers them: it takes the unsealed reads in `seq` order, in batches, stopping at the first one
written less than `GRACE` ago (a read still being inserted has had time to commit), and appends
to each organization's chain one SEAL entry per batch. The SEAL entry names its reads
(`object_ids`: their `seq`, ascending), says how far the batch reached (`object_id`
"reads to <seq>", where the next run starts), and holds in `detail` their number and a SHA-256
digest of their hashes in that order. Being chained like any entry, it makes a sealed read's
removal, change, replacement or renumbering visible to verify (`check_reads`).

What this leaves open: a read removed before it is sealed (at most `GRACE` plus the job's five
minutes after it was written) leaves no trace; and a read whose INSERT was still uncommitted
`GRACE` after its time was taken is passed over by the seal and stays unsealed (verify counts it,
and checks its own hash).
"""

import datetime as dt
import hashlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from otclinic.clinic.audit.chain import append_batch, chain_of, entry_digest, payload_from
from otclinic.clinic.audit.models import UNCHAINED, AuditAction, AuditEvent

SEAL_OBJECT_TYPE = "audit.reads"
GRACE = dt.timedelta(minutes=1)
BATCH = 5000
_SEALER_LOCK = 0x0A0D17_5EA1  # any constant of our own: the advisory lock sealers take
_REACH = re.compile(r"reads to (\d+)")


class ReadsBroken(Exception):
    """A read or a SEAL entry does not match: the message names the entry."""


def reads_digest(hashes: Iterable[str]) -> str:
    """The digest a SEAL entry holds: SHA-256 over its reads' hashes in `seq` order."""
    digest = hashlib.sha256()
    for entry_hash in hashes:
        digest.update(f"{entry_hash}|".encode())
    return digest.hexdigest()


def seal_detail(*, count: int, digest: str) -> str:
    return f"{count} reads sealed, sha256 {digest}"


def _sealed_to() -> int:
    """The `seq` the last run reached (0 before the first seal)."""
    last = (
        AuditEvent.objects.filter(action=AuditAction.SEAL)
        .order_by("-seq")
        .values_list("object_id", flat=True)
        .first()
    )
    match = _REACH.fullmatch(last or "")
    return int(match.group(1)) if match else 0


def _next_batch(*, after: int, cutoff: dt.datetime, batch: int) -> list[dict[str, Any]]:
    """The next unsealed reads after `after` in `seq` order, up to the first one written after
    `cutoff` (a read with a lower `seq` may still be committing)."""
    rows = (
        AuditEvent.objects.filter(position=UNCHAINED, seq__gt=after)
        .order_by("seq")
        .values("seq", "at", "organization_id", "entry_hash")[:batch]
    )
    taken: list[dict[str, Any]] = []
    for row in rows:
        if row["at"] > cutoff:
            break
        taken.append(dict(row))
    return taken


def _one_sealer_at_a_time(alias: str) -> None:
    """Two sealers would seal the same reads twice: on PostgreSQL the second waits here for the
    first's commit, then starts where it reached (SQLite serialises writers, and one scheduler
    runs the job)."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEALER_LOCK])


def _seal_one_batch(*, cutoff: dt.datetime, batch: int) -> int:
    """Seal one batch in one transaction; the number of reads sealed."""
    alias = router.db_for_write(AuditEvent)
    with transaction.atomic(using=alias):
        _one_sealer_at_a_time(alias)
        rows = _next_batch(after=_sealed_to(), cutoff=cutoff, batch=batch)
        if not rows:
            return 0
        reach = rows[-1]["seq"]
        by_org: dict[Any, list[dict[str, Any]]] = {}
        for row in rows:
            by_org.setdefault(row["organization_id"], []).append(row)
        seals = [_seal_entry(org, reads, reach=reach) for org, reads in by_org.items()]
        # Linked and inserted now, under the chains' head locks, held until the commit.
        append_batch(seals)
        return len(rows)


def _seal_entry(organization_id: Any, reads: list[dict[str, Any]], *, reach: int) -> AuditEvent:
    return AuditEvent(
        at=timezone.now(),
        actor_id=None,
        actor_role="system",
        organization_id=organization_id,
        action=AuditAction.SEAL,
        object_type=SEAL_OBJECT_TYPE,
        object_id=f"reads to {reach}",
        object_ids=[str(r["seq"]) for r in reads],
        detail=seal_detail(count=len(reads), digest=reads_digest(r["entry_hash"] for r in reads)),
        fields=[],
    )


def seal_reads(
    *, now: dt.datetime | None = None, grace: dt.timedelta = GRACE, batch: int = BATCH
) -> int:
    """Seal every read written before `now - grace` into its organization's chain; the number
    sealed. Safe to run late or twice (a run starts where the last SEAL entry reached)."""
    cutoff = (now or timezone.now()) - grace
    sealed = 0
    while True:
        done = _seal_one_batch(cutoff=cutoff, batch=batch)
        sealed += done
        if done < batch:
            return sealed


# --- verify ---------------------------------------------------------------------------------


@dataclass
class ReadsReport:
    reads: int = 0
    unsealed: int = 0


@dataclass
class _Seal:
    seq: int
    listed: deque[int]
    detail: str
    hashes: list[str] = field(default_factory=list)


def _seals_of(organization_id: Any) -> Iterator[_Seal]:
    rows = (
        AuditEvent.objects.filter(organization_id=organization_id, action=AuditAction.SEAL)
        .exclude(position=UNCHAINED)
        .order_by("position")
        .values_list("seq", "object_ids", "detail")
    )
    for seq, listed, detail in rows.iterator(chunk_size=100):
        yield _Seal(seq, deque(int(s) for s in listed), detail)


_COLUMNS = [f.attname for f in AuditEvent._meta.concrete_fields]


class _OrgWalk:
    """One organization's reads in `seq` order, matched against its SEAL entries in chain
    order: each SEAL's list must be found, in order, with the digest it recorded."""

    def __init__(self, organization_id: Any) -> None:
        self.seals = _seals_of(organization_id)
        self.current: _Seal | None = None
        self.chain = chain_of(organization_id)

    def _open(self) -> _Seal | None:
        while self.current is None or not self.current.listed:
            self.current = next(self.seals, None)
            if self.current is None:
                return None
        return self.current

    def read(self, seq: int, entry_hash: str) -> bool:
        """Match one read; whether a SEAL covers it."""
        seal = self._open()
        if seal is None or seq < seal.listed[0]:
            return False
        if seq > seal.listed[0]:
            raise ReadsBroken(
                f"entry {seal.listed[0]}: a read sealed by entry {seal.seq} is missing"
            )
        seal.listed.popleft()
        seal.hashes.append(entry_hash)
        if not seal.listed:
            self._close(seal)
        return True

    def _close(self, seal: _Seal) -> None:
        expected = seal_detail(count=len(seal.hashes), digest=reads_digest(seal.hashes))
        if expected != seal.detail:
            raise ReadsBroken(f"entry {seal.seq}: the reads it sealed were changed or replaced")

    def end(self) -> None:
        seal = self._open()
        if seal is not None:
            raise ReadsBroken(
                f"entry {seal.listed[0]}: a read sealed by entry {seal.seq} is missing"
            )


def check_reads(*, key: bytes, sealed: set[Any], batch_size: int = 5000) -> ReadsReport:
    """Verify every read written outside the chain: its own hash, and every SEAL entry's list
    and digest. `sealed` holds the organization ids whose chains hold a SEAL entry (the chain
    walk saw them): an organization whose reads were all removed is caught by its seals.
    `ReadsBroken` names the first problem."""
    report = ReadsReport()
    unvisited = set(sealed)
    rows = (
        AuditEvent.objects.filter(position=UNCHAINED)
        .order_by("organization_id", "seq")
        .values(*_COLUMNS)
    )
    walk: _OrgWalk | None = None
    org: Any = object()
    for row in rows.iterator(chunk_size=batch_size):
        if walk is None or row["organization_id"] != org:
            if walk is not None:
                walk.end()
            org, walk = row["organization_id"], _OrgWalk(row["organization_id"])
            unvisited.discard(org)
        if (
            entry_digest(prev_hash=row["prev_hash"], payload=payload_from(row), key=key)
            != row["entry_hash"]
        ):
            raise ReadsBroken(f"entry {row['seq']}: its contents were changed after it was written")
        report.reads += 1
        if not walk.read(row["seq"], row["entry_hash"]):
            report.unsealed += 1
    if walk is not None:
        walk.end()
    for organization_id in unvisited:
        _OrgWalk(organization_id).end()
    return report
