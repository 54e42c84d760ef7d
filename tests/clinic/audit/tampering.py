"""What an attacker with table access (but not the audit key) does to the trail, in SQL.

The database's own guards (the append-only and TRUNCATE triggers) are switched off first, as a
database owner could; the test's transaction is rolled back afterwards.
"""

import contextlib
import hashlib
from collections.abc import Callable, Iterator

from django.db import connection

from otclinic.clinic.audit.chain import canonical, payload_of
from otclinic.clinic.audit.models import AuditEvent

SQLITE_TRIGGER = """
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;
"""
TABLES = ("audit_auditevent", "audit_auditchainhead")


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@contextlib.contextmanager
def guards_lifted() -> Iterator[None]:
    """Switch off every guard on the audit tables for a block, then switch them back on."""
    if connection.vendor == "postgresql":
        for table in TABLES:
            sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        sql("SELECT set_config('otclinic.audit_truncate', 'allowed', true)")
    else:
        sql("DROP TRIGGER audit_append_only")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            for table in TABLES:
                sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            sql("SELECT set_config('otclinic.audit_truncate', '', true)")
        else:
            sql(SQLITE_TRIGGER)


def empty_the_trail() -> None:
    """TRUNCATE (DELETE on SQLite) every entry and every chain head."""
    with guards_lifted():
        if connection.vendor == "postgresql":
            sql("TRUNCATE audit_auditevent, audit_auditchainhead")
        else:
            sql("DELETE FROM audit_auditevent")
            sql("DELETE FROM audit_auditchainhead")


def unkeyed(prev_hash: str, payload: dict[str, object]) -> str:
    """The hash function of the first version: plain SHA-256, no key."""
    return hashlib.sha256(f"{prev_hash}|{canonical(payload)}".encode()).hexdigest()


def rewrite_from(victim: AuditEvent, forge: Callable[[str, dict[str, object]], str]) -> None:
    """Edit `victim`, then recompute its hash and every later one of its chain with `forge`,
    and point the chain's head at the new last hash: a consistent-looking forgery."""
    chain = AuditEvent.objects.filter(organization_id=victim.organization_id).order_by("position")
    events = list(chain.filter(position__gte=victim.position))
    events[0].detail = "rewritten"
    prev = victim.prev_hash
    with guards_lifted():
        for event in events:
            event.prev_hash = prev
            event.entry_hash = prev = forge(prev, payload_of(event))
            sql(
                "UPDATE audit_auditevent SET detail = %s, prev_hash = %s, entry_hash = %s "
                "WHERE seq = %s",
                event.detail,
                event.prev_hash,
                event.entry_hash,
                event.seq,
            )
        sql(
            "UPDATE audit_auditchainhead SET last_hash = %s WHERE chain = %s",
            prev,
            str(victim.organization_id),
        )
