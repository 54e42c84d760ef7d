"""Django's PostgreSQL backend, appending audit entries at commit (audit.backends.pending).

The audit table refuses TRUNCATE (migration audit 0004) unless the transaction has set
`otclinic.audit_truncate` to 'allowed'. Only the test database's flush sets it (pytest-django's
transactional tests empty every table with TRUNCATE after each test); `manage.py flush` on a
real database is refused.
"""

from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base, operations

from otclinic.clinic.audit.backends.pending import PendingAuditMixin

ALLOW_TRUNCATE = "SELECT set_config('otclinic.audit_truncate', 'allowed', true)"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        sql: list[str] = super().sql_flush(style, tables, **kwargs)
        if sql and getattr(settings, "TESTING", False):
            return [ALLOW_TRUNCATE, *sql]
        return sql


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):
    ops_class = DatabaseOperations
