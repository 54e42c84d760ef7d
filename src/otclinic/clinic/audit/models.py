"""The audit trail: an append-only, hash-chained record of who saw or changed what."""

from typing import Any

from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    BULK = "bulk", "Bulk operation"
    SEAL = "seal", "Sealed reads"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("the audit trail is append-only: entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only: entries cannot be deleted")


# The `position` of an entry written outside its chain (a read, until a SEAL entry covers it).
UNCHAINED = 0


class AuditEvent(models.Model):
    """One entry of the trail.

    Ids are stored as plain values, not foreign keys, so that no later change elsewhere can
    alter an entry. Each organization has a chain of its own (entries with no organization form
    the installation's chain); `position` numbers the entries of one chain. `entry_hash` is an
    HMAC, under a key kept outside the database, of the entry and the previous entry's hash:
    changing, removing or inserting a row breaks the chain, which `otclinic audit verify`
    detects.
    A read of patient data (audit.reads) is written outside the chain, in one INSERT with no
    lock: `position` 0, `prev_hash` a random nonce and `entry_hash` the HMAC of the entry and
    the nonce. A periodic job seals those reads into their chain (audit.seals): one SEAL entry
    per batch, naming the reads and a digest of their hashes.
    The entry holds field names, never their values, so the trail itself carries no PHI
    beyond the fact that a record was touched.
    """

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor_id = models.UUIDField(null=True, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)
    object_ids = models.JSONField(
        default=list, blank=True, help_text="Every row a bulk operation touched (ids only)"
    )
    detail = models.CharField(max_length=200, blank=True)
    position = models.BigIntegerField(
        default=0, help_text="1 for the first entry of its organization's chain, then 2, 3, ..."
    )
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["organization_id", "at"]),
            models.Index(fields=["organization_id", "position"], name="audit_chain_position"),
            # The reads still outside the chain, for the sealing job and verify (audit.seals).
            models.Index(
                fields=["organization_id", "seq"],
                condition=models.Q(position=UNCHAINED),
                name="audit_unchained_reads",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit entry {self.position}: {self.get_action_display()} of a {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("the audit trail is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only: entries cannot be deleted")


INSTALLATION_CHAIN = "installation"


class AuditChainHead(models.Model):
    """The head of one chain: its last hash and length. Appenders lock it only for the moment of
    their commit (audit.pending), never across a transaction's work."""

    chain = models.CharField(
        primary_key=True, max_length=36, help_text="The organization's id, or 'installation'"
    )
    last_hash = models.CharField(max_length=64)
    entries = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Audit chain head ({self.entries} entries)"
