"""One keyed chain per organization, and guards against emptying the trail.

- Entries get a `position` in their organization's chain (entries with no organization form
  the installation's chain); the single global head row gives way to one head per chain.
- Existing entries (demo and development databases) are re-linked into those chains and their
  hashes recomputed as HMACs under the audit key (audit.chain). The rebuild takes the history
  as it stands: run `otclinic audit verify` on the old version first if it matters.
- PostgreSQL refuses TRUNCATE of the entries unless the transaction set
  `otclinic.audit_truncate` (only the test database's flush does: audit.backends.postgresql),
  and refuses DELETE of a chain's head row.
- SQLite adds the column by rebuilding the table, which drops the append-only trigger of 0002:
  it is created again at the end.
"""

from typing import Any

from django.db import migrations, models

PG_GUARDS = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('otclinic.audit_truncate', true), '') <> 'allowed' THEN
    RAISE EXCEPTION 'the audit trail is append-only (TRUNCATE refused)';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""
PG_GUARDS_BACKWARD = """
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;
"""


def _lift_guard(schema_editor, on: bool) -> None:
    if schema_editor.connection.vendor == "postgresql":
        verb = "ENABLE" if on else "DISABLE"
        schema_editor.execute(f"ALTER TABLE audit_auditevent {verb} TRIGGER audit_append_only")
    elif schema_editor.connection.vendor == "sqlite" and not on:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_append_only")


def rebuild_chains(apps, schema_editor):
    from otclinic.clinic.audit.chain import GENESIS, audit_key, chain_of, entry_digest, payload_of

    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    key = audit_key()
    heads: dict[str, list[Any]] = {}
    _lift_guard(schema_editor, on=False)
    batch = []
    for event in event_model.objects.order_by("seq").iterator(chunk_size=2000):
        head = heads.setdefault(chain_of(event.organization_id), [GENESIS, 0])
        head[1] += 1
        event.position, event.prev_hash = head[1], head[0]
        event.entry_hash = head[0] = entry_digest(
            prev_hash=event.prev_hash, payload=payload_of(event), key=key
        )
        batch.append(event)
        if len(batch) >= 2000:
            event_model.objects.bulk_update(batch, ["position", "prev_hash", "entry_hash"])
            batch = []
    event_model.objects.bulk_update(batch, ["position", "prev_hash", "entry_hash"])
    head_model.objects.bulk_create(
        head_model(chain=chain, last_hash=last, entries=count)
        for chain, (last, count) in heads.items()
    )
    _lift_guard(schema_editor, on=True)


def guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_GUARDS, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER, params=None)


def guards_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_GUARDS_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_bulk_object_ids")]

    operations = [
        migrations.DeleteModel(name="AuditChainHead"),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "chain",
                    models.CharField(
                        help_text="The organization's id, or 'installation'",
                        max_length=36,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("last_hash", models.CharField(max_length=64)),
                ("entries", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="position",
            field=models.BigIntegerField(
                default=0,
                help_text="1 for the first entry of its organization's chain, then 2, 3, ...",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organization_id", "position"], name="audit_chain_position"),
        ),
        migrations.RunPython(rebuild_chains, migrations.RunPython.noop),
        migrations.RunPython(guards, guards_backward),
    ]
