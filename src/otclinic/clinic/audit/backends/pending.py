"""Audit entries wait in memory until their transaction commits, then go in as one batch.

A transaction (an outermost `atomic` block) may run for minutes; its audit entries are kept on
the connection, each with the savepoints that were open when it was recorded. Just before the
real COMMIT the batch is linked to its organizations' chains and inserted (audit.chain), so a
chain's head row is locked for the few milliseconds before COMMIT, never across the work.

- A rollback drops every pending entry; a savepoint rollback drops those recorded inside it
  (the same bookkeeping Django keeps for `transaction.on_commit`).
- Outside any atomic block an entry is written at once, in a short transaction of its own.
- In a test wrapped in Django's TestCase atomic blocks (which never commit), an entry is
  linked and written at once, inside the test's transaction, so tests see what production
  commits; a savepoint rollback then removes it with the rows. Tests of the commit-time
  behaviour itself run in transactional tests (tests/clinic/audit/test_pending.py).
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def _in_testcase(connection: BaseDatabaseWrapper) -> bool:
    """Whether a test's own atomic block (Django's TestCase) is open: nothing ever commits."""
    return any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class PendingAuditMixin(BaseDatabaseWrapper):
    """Keeps the audit entries of the open transaction and appends them just before COMMIT."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit_pending: list[tuple[set[str | None], Any]] = []

    def audit_defer(self, event: Any) -> None:
        """Keep `event` until the transaction commits; written at once outside one."""
        # Imported here, not to dodge a cycle: Django loads the database backend before the
        # app registry, and the chain reads the audit models.
        from django.db import transaction

        from otclinic.clinic.audit.chain import append_batch

        if self.in_atomic_block and _in_testcase(self):
            append_batch([event])
        elif self.in_atomic_block:
            self.audit_pending.append((set(self.savepoint_ids), event))
        else:
            with transaction.atomic(using=self.alias):
                self.audit_pending.append((set(self.savepoint_ids), event))

    def _audit_flush(self) -> None:
        if not self.audit_pending:
            return
        from otclinic.clinic.audit.chain import append_batch

        events = [event for _, event in self.audit_pending]
        self.audit_pending = []
        append_batch(events)

    def commit(self) -> None:
        try:
            self._audit_flush()
        finally:
            self.audit_pending = []
        super().commit()

    def rollback(self) -> None:
        self.audit_pending = []
        super().rollback()

    def close(self) -> None:
        self.audit_pending = []
        super().close()

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)
        self.audit_pending = [(sids, e) for sids, e in self.audit_pending if sid not in sids]
