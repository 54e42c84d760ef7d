"""Django's SQLite backend, appending audit entries at commit (audit.backends.pending)."""

from django.db.backends.sqlite3 import base

from otclinic.clinic.audit.backends.pending import PendingAuditMixin


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):
    pass
