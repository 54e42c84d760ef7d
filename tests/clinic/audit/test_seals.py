"""Reads written outside the chain, sealed into it in batches: what verify catches, before and
after the seal."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner

from otclinic.cli.clinic import audit as audit_cli
from otclinic.clinic.audit.chain import entry_digest, payload_of
from otclinic.clinic.audit.context import Actor
from otclinic.clinic.audit.models import UNCHAINED, AuditAction, AuditEvent
from otclinic.clinic.audit.reads import Reads, record_reads
from otclinic.clinic.audit.seals import reads_digest, seal_detail, seal_reads
from otclinic.clinic.audit.services import audit_record, audit_verify
from otclinic.clinic.jobs import periodic
from tests.clinic import factories as f
from tests.clinic.audit.tampering import guards_lifted, sql, unkeyed
from tests.clock import now

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=2)


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


def _reads(org: Any, count: int) -> list[AuditEvent]:
    patients = f.PatientFactory.create_batch(count, organization=org)
    audit_record(action=AuditAction.UPDATE, object_type="test.thing", organization_id=org.pk)
    actor = Actor(user_id=None, role="OT", organization_id=org.pk, ip_address=None)
    for patient in patients:
        reads = Reads()
        reads.add([patient.pk], "chart")
        record_reads(reads, actor=actor)
    return list(
        AuditEvent.objects.filter(organization_id=org.pk, action=AuditAction.VIEW).order_by("seq")
    )


def _seals(org: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(organization_id=org.pk, action=AuditAction.SEAL).order_by(
            "position"
        )
    )


def test_a_read_is_written_outside_the_chain_with_a_keyed_hash_of_its_own(org: Any) -> None:
    (read,) = _reads(org, 1)
    assert read.position == UNCHAINED
    assert read.entry_hash == entry_digest(prev_hash=read.prev_hash, payload=payload_of(read))
    report = audit_verify()
    assert report.ok, report.problem
    assert (report.reads, report.unsealed) == (1, 1)


def test_the_seal_covers_each_organizations_reads_with_one_chained_entry(org: Any) -> None:
    reads = _reads(org, 3)
    other = _reads(f.OrganizationFactory(), 2)
    assert seal_reads(now=now() + LATER) == 5
    (seal,) = _seals(org)
    assert seal.position > 0  # in the organization's chain, after its other entries
    assert seal.object_ids == [str(r.seq) for r in reads]
    assert seal.object_id == f"reads to {max(r.seq for r in [*reads, *other])}"
    digest = reads_digest(r.entry_hash for r in reads)
    assert seal.detail == seal_detail(count=3, digest=digest)
    report = audit_verify()
    assert report.ok, report.problem
    assert (report.reads, report.unsealed) == (5, 0)


def test_sealing_twice_or_late_seals_each_read_once(org: Any) -> None:
    _reads(org, 2)
    assert seal_reads(now=now() + LATER) == 2
    assert seal_reads(now=now() + LATER) == 0
    _reads(org, 1)
    assert seal_reads(now=now() + LATER) == 1
    assert [len(s.object_ids) for s in _seals(org)] == [2, 1]
    assert audit_verify().ok


def test_a_read_younger_than_the_grace_waits_for_the_next_run(org: Any) -> None:
    _reads(org, 2)
    assert seal_reads(now=now()) == 0
    assert seal_reads(now=now() + LATER) == 2


def test_batches_split_a_long_run_of_reads_into_several_seals(org: Any) -> None:
    _reads(org, 5)
    assert seal_reads(now=now() + LATER, batch=2) == 5
    assert [len(s.object_ids) for s in _seals(org)] == [2, 2, 1]
    assert audit_verify().ok


def test_the_command_and_the_five_minute_job_seal(org: Any) -> None:
    _reads(org, 1)
    with time_machine.travel(now() + LATER):
        assert periodic.BY_NAME["audit-seal-reads"].run() == "reads sealed: 1"
    _reads(org, 1)
    with time_machine.travel(now() + 2 * LATER):
        result = CliRunner().invoke(audit_cli, ["seal"])
    assert result.exit_code == 0, result.output
    assert "reads sealed: 1" in result.output


# Tampering with reads ------------------------------------------------------------------------


def _broken(fragment: str) -> None:
    report = audit_verify()
    assert not report.ok
    assert fragment in report.problem, report.problem


@pytest.mark.parametrize("sealed", [False, True])
def test_a_changed_read_is_caught_sealed_or_not(org: Any, sealed: bool) -> None:
    victim = _reads(org, 3)[1]
    if sealed:
        seal_reads(now=now() + LATER)
    with guards_lifted():
        sql("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", "nothing", victim.seq)
    _broken(f"entry {victim.seq}: its contents were changed")


def test_a_forged_read_is_caught(org: Any) -> None:
    real = _reads(org, 1)[0]
    forged_hash = unkeyed(real.prev_hash, {**payload_of(real), "detail": "forged"})
    with guards_lifted():
        sql(
            "UPDATE audit_auditevent SET detail = %s, entry_hash = %s WHERE seq = %s",
            "forged",
            forged_hash,
            real.seq,
        )
    _broken(f"entry {real.seq}: its contents were changed")


def test_a_removed_sealed_read_is_caught_by_its_seal(org: Any) -> None:
    victim = _reads(org, 3)[1]
    seal_reads(now=now() + LATER)
    (seal,) = _seals(org)
    with guards_lifted():
        sql("DELETE FROM audit_auditevent WHERE seq = %s", victim.seq)
    _broken(f"entry {victim.seq}: a read sealed by entry {seal.seq} is missing")


def test_removing_every_read_of_an_organization_is_caught_by_its_seal(org: Any) -> None:
    reads = _reads(org, 2)
    seal_reads(now=now() + LATER)
    with guards_lifted():
        for read in reads:
            sql("DELETE FROM audit_auditevent WHERE seq = %s", read.seq)
    _broken("is missing")


def test_a_sealed_read_replaced_by_a_copy_of_another_is_caught(org: Any) -> None:
    first, second = _reads(org, 2)
    seal_reads(now=now() + LATER)
    (seal,) = _seals(org)
    with guards_lifted():
        # The second read's row made a copy of the first (every column but `seq` and the unique
        # hash, which takes the first's nonce and so the first's valid hash): its own hash holds.
        sql("DELETE FROM audit_auditevent WHERE seq = %s", first.seq)
        sql(
            "UPDATE audit_auditevent SET at = %s, object_id = %s, patient_id = %s, "
            "object_ids = %s, prev_hash = %s, entry_hash = %s WHERE seq = %s",
            first.at,
            first.object_id,
            str(first.patient_id).replace("-", "") if _sqlite() else str(first.patient_id),
            f'["{first.object_ids[0]}"]',
            first.prev_hash,
            first.entry_hash,
            second.seq,
        )
    _broken(f"entry {first.seq}: a read sealed by entry {seal.seq} is missing")


def test_a_removed_seal_is_caught_by_the_chain(org: Any) -> None:
    _reads(org, 2)
    seal_reads(now=now() + LATER)
    (seal,) = _seals(org)
    with guards_lifted():
        sql("DELETE FROM audit_auditevent WHERE seq = %s", seal.seq)
    report = audit_verify()
    assert not report.ok


def _sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"
