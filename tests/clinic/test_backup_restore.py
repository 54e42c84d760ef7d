"""A backup restores: `pg_dump -Fc` of a database with an audited history, `pg_restore` into a
fresh database, and `otclinic audit verify` against the restored copy says it is intact; an
edit to the restored trail is caught. The commands are the ones docs/operations.md gives.

The verify command runs as the operator runs it, a separate process given DATABASE_URL, with the
rest of this process's environment (so any key the audit trail reads from the environment is
the same for the writes and for the check).
"""

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f
from tests.servers import BIN

ROOT = Path(__file__).resolve().parents[2]  # the repository

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(db: dict[str, Any], name: str) -> str:
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(name, safe='')}"


@pytest.fixture
def database() -> dict[str, Any]:
    from django.db import connection

    return dict(connection.settings_dict)


@pytest.fixture
def fresh_database(database: dict[str, Any]) -> Iterator[str]:
    """An empty database beside the test database, dropped again at the end."""
    name = f"{database['NAME']}_restored"[:63]
    maintenance = _url(database, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _seed_audited_history() -> int:
    """Two practices whose front desks register and change patients: audited writes."""
    for number in range(2):
        org = f.OrganizationFactory()
        clinic = f.ClinicFactory(organization=org)
        desk = f.staff_user(organization=org, role="front_desk")
        with acting_as(actor_for_user(desk, "10.0.0.9")):
            for n in range(3):
                patient = patient_services.patient_create(
                    user=desk,
                    data={
                        "mrn": f"R{number}{n}",
                        "first_name": "Restore",
                        "last_name": f"Patient{number}{n}",
                        "birth_date": dt.date(1950, 1, n + 1),
                        "sex": "F",
                        "home_clinic": clinic,
                    },
                )
                patient.preferred_name = "Resty"
                patient.save()
    return AuditEvent.objects.count()


def _run(*args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if url:
        env["DATABASE_URL"] = url
    env["OTCLINIC_TESTING"] = "1"
    # The command runs with the suite's own settings module (tests.settings, the same keys as
    # this process), importable from the repository's root.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)


def _verify(url: str) -> subprocess.CompletedProcess[str]:
    return _run(str(BIN / "otclinic"), "audit", "verify", url=url)


def test_a_dump_restored_into_a_fresh_database_passes_audit_verify_and_a_tampered_one_fails(
    database: dict[str, Any], fresh_database: str, tmp_path: Path
) -> None:
    entries = _seed_audited_history()
    assert entries >= 12
    assert audit_verify().ok
    dump = tmp_path / "otclinic.dump"
    source = _url(database, database["NAME"])
    restored = _url(database, fresh_database)

    dumped = _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
    assert dumped.returncode == 0, dumped.stderr
    loaded = _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump))
    assert loaded.returncode == 0, loaded.stderr

    with psycopg.connect(restored) as copy:
        restored_entries = copy.execute("SELECT count(*) FROM audit_auditevent").fetchone()
        restored_patients = copy.execute("SELECT count(*) FROM patients_patient").fetchone()
    assert restored_entries == (entries,)
    assert restored_patients == (Patient.objects.count(),)
    intact = _verify(restored)
    assert intact.returncode == 0, intact.stdout + intact.stderr

    # Someone with table access edits one entry of the restored trail, triggers lifted.
    table = AuditEvent._meta.db_table
    with psycopg.connect(restored, autocommit=True) as copy:
        copy.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(sql.Identifier(table)))
        copy.execute(
            sql.SQL("UPDATE {} SET detail = 'edited' WHERE seq = (SELECT min(seq) FROM {})").format(
                sql.Identifier(table), sql.Identifier(table)
            )
        )
    broken = _verify(restored)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    # The source database was not touched by any of it.
    assert audit_verify().ok
