"""Each way a database administrator might quietly rewrite the trail is caught by verify.

(a) emptying the trail and its heads, (b) cutting the tail and rewriting the head, (c) editing
an entry and recomputing every later hash without the key, (d) and (e) editing a signed note's
narrative or a line's minutes. Runs on SQLite and PostgreSQL; the PostgreSQL guards have tests
of their own at the end.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction

from otclinic.cli.clinic import audit as audit_cli
from otclinic.clinic.audit.chain import entry_digest
from otclinic.clinic.audit.checkpoints import checkpoint_write
from otclinic.clinic.audit.models import AuditAction, AuditChainHead, AuditEvent
from otclinic.clinic.audit.services import audit_record, audit_verify
from otclinic.clinic.care.models import NoteLine, Signature
from otclinic.clinic.jobs import periodic
from tests.clinic import factories as f
from tests.clinic.audit.tampering import empty_the_trail, guards_lifted, rewrite_from, sql, unkeyed
from tests.clinic.care.notes.builders import practice, signed

pytestmark = pytest.mark.django_db


def _record(organization: Any, count: int) -> list[AuditEvent]:
    for n in range(count):
        audit_record(
            action=AuditAction.UPDATE,
            object_type="test.thing",
            object_id=n,
            organization_id=organization.pk if organization else None,
        )
    org_id = organization.pk if organization else None
    return list(AuditEvent.objects.filter(organization_id=org_id).order_by("position"))


@pytest.fixture
def clinic_a() -> Any:
    return f.OrganizationFactory()


@pytest.fixture
def trail(clinic_a: Any) -> list[AuditEvent]:
    """Five entries of one clinic, three of another and two of the installation."""
    _record(f.OrganizationFactory(), 3)
    _record(None, 2)
    return _record(clinic_a, 5)


def _verify_cli() -> Any:
    return CliRunner().invoke(audit_cli, ["verify"])


def test_each_organization_has_a_chain_of_its_own_numbered_from_one(
    trail: list[AuditEvent],
) -> None:
    assert [e.position for e in trail] == [1, 2, 3, 4, 5]
    assert trail[0].prev_hash == "0" * 64
    chains = {h.chain: h.entries for h in AuditChainHead.objects.all()}
    assert sorted(chains.values()) == [2, 3, 5]
    assert chains["installation"] == 2
    report = audit_verify()
    assert report.ok, report.problem
    assert (report.entries, report.chains) == (AuditEvent.objects.count(), 3)


# (a) --------------------------------------------------------------------------------------


def test_emptying_the_trail_and_its_heads_is_caught_by_the_checkpoint(
    trail: list[AuditEvent],
) -> None:
    checkpoint_write()
    assert audit_verify().ok
    empty_the_trail()
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.exists()
    report = audit_verify()
    assert not report.ok
    assert "the database no longer holds" in report.problem
    result = _verify_cli()
    assert result.exit_code == 1
    assert "BROKEN" in result.output


# (b) --------------------------------------------------------------------------------------


def test_cutting_the_tail_and_rewriting_the_head_is_caught_by_the_checkpoint(
    trail: list[AuditEvent], clinic_a: Any
) -> None:
    checkpoint_write()
    keep = trail[2]
    with guards_lifted():
        sql("DELETE FROM audit_auditevent WHERE seq IN (%s, %s)", trail[3].seq, trail[4].seq)
        sql(
            "UPDATE audit_auditchainhead SET last_hash = %s, entries = 3 WHERE chain = %s",
            keep.entry_hash,
            str(clinic_a.pk),
        )
    report = audit_verify()
    assert not report.ok
    assert f"chain {clinic_a.pk}: the checkpoint of" in report.problem
    assert "recorded 5 entries" in report.problem


def test_cutting_the_tail_without_rewriting_the_head_is_caught_by_the_head(
    trail: list[AuditEvent],
) -> None:
    with guards_lifted():
        sql("DELETE FROM audit_auditevent WHERE seq = %s", trail[-1].seq)
    report = audit_verify()
    assert not report.ok
    assert "the chain ends early" in report.problem


# (c) --------------------------------------------------------------------------------------


def _under_a_guessed_key(prev: str, payload: dict[str, object]) -> str:
    return entry_digest(prev_hash=prev, payload=payload, key=b"otclinic-development-only")


@pytest.mark.parametrize("forge", [unkeyed, _under_a_guessed_key], ids=["sha256", "wrong-key"])
def test_an_entry_rewritten_with_every_later_hash_recomputed_without_the_key_is_caught(
    trail: list[AuditEvent], forge: Any
) -> None:
    victim = trail[1]
    rewrite_from(victim, forge)
    assert AuditEvent.objects.get(seq=victim.seq).detail == "rewritten"
    report = audit_verify()
    assert not report.ok
    assert f"entry {victim.seq}: its contents were changed" in report.problem


def test_with_the_key_the_same_rewrite_would_pass_which_is_why_the_key_stays_outside(
    trail: list[AuditEvent],
) -> None:
    """The control for the test above: only the key tells a forgery from the real chain."""
    rewrite_from(trail[1], lambda prev, payload: entry_digest(prev_hash=prev, payload=payload))
    assert audit_verify().ok


def test_a_rewrite_with_the_key_is_still_caught_by_an_earlier_checkpoint(
    trail: list[AuditEvent],
) -> None:
    checkpoint_write()
    rewrite_from(trail[1], lambda prev, payload: entry_digest(prev_hash=prev, payload=payload))
    report = audit_verify()
    assert not report.ok
    assert f"entry {trail[-1].seq}: differs from the checkpointed entry" in report.problem


# Checkpoints ------------------------------------------------------------------------------


def test_a_checkpoint_records_each_chains_length_and_last_hash_signed(
    trail: list[AuditEvent], clinic_a: Any
) -> None:
    path = checkpoint_write()
    data = json.loads(path.read_text())
    assert data["chains"][str(clinic_a.pk)] == {"entries": 5, "last_hash": trail[-1].entry_hash}
    assert len(data["signature"]) == 64
    assert audit_verify().checkpoints == 1


def test_an_edited_checkpoint_is_refused(trail: list[AuditEvent], clinic_a: Any) -> None:
    path = checkpoint_write()
    data = json.loads(path.read_text())
    data["chains"][str(clinic_a.pk)]["entries"] = 3
    path.write_text(json.dumps(data))
    report = audit_verify()
    assert not report.ok
    assert "its signature does not match" in report.problem


def test_the_checkpoint_command_and_the_hourly_job_write_one(
    trail: list[AuditEvent], settings: Any
) -> None:
    folder = Path(settings.AUDIT_CHECKPOINT_DIR)
    result = CliRunner().invoke(audit_cli, ["checkpoint"])
    assert result.exit_code == 0, result.output
    assert "checkpoint written" in result.output
    assert "written" in periodic.BY_NAME["audit-checkpoint"].run()
    assert len(list(folder.glob("checkpoint-*.json"))) == 2
    assert audit_verify().checkpoints == 2


# (d) and (e) ------------------------------------------------------------------------------


@pytest.fixture
def signed_note() -> Any:
    return signed(practice())


def test_a_signed_note_verifies(signed_note: Any) -> None:
    report = audit_verify()
    assert report.ok, report.problems
    assert report.signatures == Signature.objects.count() >= 1


def test_an_sql_edit_of_a_signed_notes_narrative_is_caught_and_names_the_note(
    signed_note: Any,
) -> None:
    sql(
        "UPDATE care_treatmentnote SET narrative = %s WHERE id = %s",
        "Patient tolerated an invented treatment.",
        signed_note.pk.hex if connection.vendor == "sqlite" else signed_note.pk,
    )
    report = audit_verify()
    assert not report.ok
    assert f"the note {signed_note.pk} was changed after it was signed" in report.problem
    assert "invented" not in report.problem
    assert _verify_cli().exit_code == 1


def test_an_sql_edit_of_a_signed_lines_minutes_is_caught(signed_note: Any) -> None:
    line = NoteLine.objects.filter(note=signed_note).first()
    assert line is not None
    sql(
        "UPDATE care_noteline SET therapist_minutes = therapist_minutes + 15, "
        "assistant_minutes = assistant_minutes + 15 WHERE id = %s",
        line.pk.hex if connection.vendor == "sqlite" else line.pk,
    )
    report = audit_verify()
    assert not report.ok
    assert f"the note {signed_note.pk} was changed" in report.problem


# The PostgreSQL guards --------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_refuses_truncate_of_the_trail(trail: list[AuditEvent]) -> None:
    for table in ("audit_auditevent", "audit_auditchainhead"):
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
            sql(f"TRUNCATE {table} CASCADE")
    assert audit_verify().ok


@pytest.mark.postgres
def test_postgresql_refuses_deleting_a_chain_head(trail: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("DELETE FROM audit_auditchainhead")
    assert AuditChainHead.objects.count() == 3


def test_the_day_of_the_test_clock_does_not_matter_to_a_checkpoint(
    trail: list[AuditEvent], time_machine: Any
) -> None:
    """Checkpoints are named by the time they are written; two in the same test do not clash."""
    first = checkpoint_write()
    time_machine.move_to(dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC))
    second = checkpoint_write()
    assert first != second
    assert audit_verify().checkpoints == 2
