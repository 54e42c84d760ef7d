"""Database backends that append the audit entries of a transaction just before it commits.

`otclinic.config.settings` selects them in place of Django's sqlite3 and postgresql backends;
each is Django's own backend with `PendingAuditMixin` (audit.backends.pending) on top.
"""
