"""The audit trail: what it records, that it is append-only, and that tampering is detected.

Runs on SQLite and PostgreSQL. To tamper, a test first switches off the database's own guard
(the trigger of migration audit 0002), as an attacker with table access would; the test's
transaction is rolled back afterwards, and the guard is put back explicitly as well.
"""

import contextlib
import datetime as dt
import itertools
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction
from django.test import Client

from otclinic.cli.clinic import audit as audit_cli
from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.logging import NoPhiFilter, scrub
from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.services import audit_record, audit_verify
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

SQLITE_TRIGGER = """
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;
"""


@contextlib.contextmanager
def guard_lifted() -> Iterator[None]:
    """Switch off the append-only trigger for a block, then switch it back on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
            else:
                cursor.execute(SQLITE_TRIGGER)


def raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def front_desk() -> Any:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    return f.staff_user(organization=org, role="front_desk")


def _patient_data(user: Any) -> dict[str, Any]:
    return {
        "mrn": "AUD001",
        "first_name": "Wilhelmina",
        "last_name": "Quartermaine",
        "birth_date": dt.date(1941, 3, 9),
        "sex": "F",
        "home_clinic": user.organization.clinics.first(),
    }


def _entries(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("seq"))


def _assert_no_values(entry: AuditEvent) -> None:
    text = json.dumps([entry.fields, entry.detail, entry.object_id])
    for value in ("Wilhelmina", "Quartermaine", "1941", "Mina"):
        assert value not in text


# What the trail records -----------------------------------------------------------------------


def test_creating_a_patient_records_who_what_and_which_fields(front_desk: Any) -> None:
    with acting_as(actor_for_user(front_desk, "10.0.0.7")):
        patient = patient_services.patient_create(user=front_desk, data=_patient_data(front_desk))
    (entry,) = _entries(object_type="patients.patient", action=AuditAction.CREATE)
    assert entry.actor_id == front_desk.pk
    assert entry.actor_role == "front_desk"
    assert entry.organization_id == front_desk.organization_id
    assert entry.patient_id == patient.pk
    assert entry.object_id == str(patient.pk)
    assert entry.ip_address == "10.0.0.7"
    assert {"mrn", "first_name", "last_name", "birth_date"} <= set(entry.fields)
    _assert_no_values(entry)


def test_changing_a_patient_records_only_the_changed_field_names(front_desk: Any) -> None:
    patient = patient_services.patient_create(user=front_desk, data=_patient_data(front_desk))
    with acting_as(actor_for_user(front_desk)):
        patient.preferred_name = "Mina"
        patient.save()
    (entry,) = _entries(object_type="patients.patient", action=AuditAction.UPDATE)
    assert entry.fields == ["preferred_name"]
    assert entry.actor_id == front_desk.pk
    assert entry.patient_id == patient.pk
    _assert_no_values(entry)


def test_saving_without_a_change_records_nothing(front_desk: Any) -> None:
    patient = patient_services.patient_create(user=front_desk, data=_patient_data(front_desk))
    patient.save()
    assert not _entries(object_type="patients.patient", action=AuditAction.UPDATE)


def test_deleting_a_patient_records_the_patient_and_the_actor(front_desk: Any) -> None:
    patient = patient_services.patient_create(user=front_desk, data=_patient_data(front_desk))
    patient_id = patient.pk
    with acting_as(actor_for_user(front_desk)):
        patient.delete()
    (entry,) = _entries(object_type="patients.patient", action=AuditAction.DELETE)
    assert entry.patient_id == patient_id
    assert entry.actor_id == front_desk.pk
    assert entry.organization_id == front_desk.organization_id


def test_deleting_a_diagnosis_names_its_patient() -> None:
    diagnosis = f.DiagnosisFactory()
    diagnosis.delete()
    (entry,) = _entries(object_type="patients.patientdiagnosis", action=AuditAction.DELETE)
    assert entry.patient_id == diagnosis.patient_id


def test_a_page_that_creates_a_patient_records_the_signed_in_user(
    client: Client, front_desk: Any
) -> None:
    client.force_login(front_desk)
    data = _patient_data(front_desk) | {"home_clinic": front_desk.organization.clinics.first().pk}
    response = client.post("/patients/new/", data)
    assert response.status_code == 302
    (entry,) = _entries(object_type="patients.patient", action=AuditAction.CREATE)
    assert entry.actor_id == front_desk.pk
    assert entry.ip_address == "127.0.0.1"


def test_opening_a_chart_records_a_view(client: Client) -> None:
    patient = f.PatientFactory()
    ot = f.staff_user(organization=patient.organization, role="OT")
    client.force_login(ot)
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    (entry,) = _entries(action=AuditAction.VIEW)
    assert (entry.actor_id, entry.patient_id) == (ot.pk, patient.pk)
    assert entry.organization_id == patient.organization_id
    assert entry.ip_address == "127.0.0.1"


def test_a_refused_chart_records_no_view(client: Client) -> None:
    patient = f.PatientFactory()
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="OT"))
    assert client.get(f"/patients/{patient.pk}/").status_code == 404
    assert not _entries(action=AuditAction.VIEW)


def test_signing_in_is_recorded_with_the_user_as_actor(client: Client) -> None:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OTA")
    response = client.post("/login/", {"username": user.username, "password": f.PASSWORD})
    assert response.status_code == 302
    (entry,) = _entries(action=AuditAction.LOGIN)
    assert entry.actor_id == user.pk
    assert entry.object_id == str(user.pk)
    assert entry.organization_id == user.organization_id


def test_a_failed_sign_in_is_recorded_without_the_password(client: Client) -> None:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OTA")
    client.post("/login/", {"username": user.username, "password": "not-the-password"})
    (entry,) = _entries(action=AuditAction.LOGIN_FAILED)
    assert user.username in entry.detail
    assert "not-the-password" not in json.dumps([entry.detail, entry.fields])
    assert entry.ip_address == "127.0.0.1"


# The chain ----------------------------------------------------------------------------------


@pytest.fixture
def chain() -> list[AuditEvent]:
    for n in range(5):
        audit_record(action=AuditAction.BULK, object_type="test.thing", object_id=n)
    return _entries()


def _cli_verify() -> Any:
    return CliRunner().invoke(audit_cli, ["verify"])


def test_an_intact_chain_verifies(chain: list[AuditEvent]) -> None:
    report = audit_verify()
    assert report.ok
    assert report.entries == len(chain)
    result = _cli_verify()
    assert result.exit_code == 0, result.output
    assert f"{len(chain)} entries verified" in result.output


def test_each_entry_chains_to_the_one_before(chain: list[AuditEvent]) -> None:
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.entry_hash


def test_a_changed_entry_is_detected_and_named(chain: list[AuditEvent]) -> None:
    victim = chain[2]
    with guard_lifted():
        raw("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", "edited", victim.seq)
    report = audit_verify()
    assert not report.ok
    assert f"entry {victim.seq}:" in report.problem
    assert "changed" in report.problem
    result = _cli_verify()
    assert result.exit_code == 1
    assert f"entry {victim.seq}:" in result.output


def test_a_changed_hash_is_detected(chain: list[AuditEvent]) -> None:
    victim = chain[1]
    with guard_lifted():
        raw("UPDATE audit_auditevent SET entry_hash = %s WHERE seq = %s", "f" * 64, victim.seq)
    report = audit_verify()
    assert not report.ok
    assert f"entry {victim.seq}:" in report.problem


def test_a_removed_middle_entry_is_detected_at_the_next_one(chain: list[AuditEvent]) -> None:
    with guard_lifted():
        raw("DELETE FROM audit_auditevent WHERE seq = %s", chain[2].seq)
    report = audit_verify()
    assert not report.ok
    assert f"entry {chain[3].seq}:" in report.problem
    assert _cli_verify().exit_code == 1


def test_a_removed_last_entry_is_detected(chain: list[AuditEvent]) -> None:
    with guard_lifted():
        raw("DELETE FROM audit_auditevent WHERE seq = %s", chain[-1].seq)
    report = audit_verify()
    assert not report.ok
    assert "last entries were removed" in report.problem
    assert _cli_verify().exit_code == 1


# Append-only, in the ORM and in the database --------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_entries(chain: list[AuditEvent]) -> None:
    entry = chain[0]
    entry.detail = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=entry.seq).update(detail="edited")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=entry.seq).delete()
    assert audit_verify().ok


def test_the_database_refuses_a_raw_update(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", "edited", chain[0].seq)
    assert AuditEvent.objects.get(seq=chain[0].seq).detail == ""
    assert audit_verify().ok


def test_a_raw_delete_is_refused_on_postgresql_and_caught_by_the_chain_on_sqlite(
    chain: list[AuditEvent],
) -> None:
    """PostgreSQL's trigger refuses DELETE; SQLite keeps DELETE (test teardown needs it), and
    there the hash chain is what exposes a removed entry."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            raw("DELETE FROM audit_auditevent WHERE seq = %s", chain[0].seq)
        assert audit_verify().ok
        return
    raw("DELETE FROM audit_auditevent WHERE seq = %s", chain[0].seq)
    report = audit_verify()
    assert not report.ok


# No PHI in application logs -------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def every_log_record() -> Iterator[list[logging.LogRecord]]:
    """Every record any logger emits, including those that do not propagate to the root."""
    handler = Collect()
    names = ["", "django.request", "django.server", "axes", "otclinic", "django.db.backends"]
    loggers = [logging.getLogger(name) for name in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)


def _rendered(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text


def test_no_patient_name_or_birth_date_reaches_the_logs(
    client: Client, front_desk: Any, every_log_record: list[logging.LogRecord]
) -> None:
    client.force_login(front_desk)
    data = _patient_data(front_desk) | {"home_clinic": front_desk.organization.clinics.first().pk}
    assert client.post("/patients/new/", data).status_code == 302
    patient = Patient.objects.get(organization=front_desk.organization, last_name="Quartermaine")
    # The same patient again is warned about as a possible duplicate (logged as a warning).
    assert client.post("/patients/new/", data).status_code == 422
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    assert client.get("/patients/", {"q": "Quartermaine"}).status_code == 200
    assert client.get("/api/v1/patients/", {"q": "Wilhelmina"}).status_code == 200
    assert client.get("/no-such-page/", {"q": "Quartermaine"}).status_code == 404
    assert every_log_record, "the requests above log at least their 4xx answers"
    for record in every_log_record:
        text = _rendered(record)
        for phi in ("Wilhelmina", "Quartermaine", "1941-03-09", "03/09/1941"):
            assert phi not in text, f"{record.name}: {text}"


def test_the_phi_filter_scrubs_query_strings() -> None:
    assert scrub("GET /patients/?q=Quartermaine HTTP/1.1") == "GET /patients/?[redacted] HTTP/1.1"
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /p/?q=Mina+Q HTTP/1.1", 200),
        None,
    )
    record.request = object()
    assert NoPhiFilter().filter(record)
    assert "Mina" not in record.getMessage()
    assert "?[redacted]" in record.getMessage()
    assert record.request is None


def test_the_phi_filter_scrubs_mapping_arguments() -> None:
    record = logging.LogRecord(
        "otclinic", logging.INFO, __file__, 1, "%(path)s", ({"path": "/p/?q=Mina"},), None
    )
    NoPhiFilter().filter(record)
    assert "Mina" not in record.getMessage()


def test_the_configured_handlers_apply_the_phi_filter() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /p/?q=Mina HTTP/1.1", 200),
        None,
    )
    handlers = logging.getLogger("django.server").handlers
    assert handlers
    for handler in handlers:
        assert handler.filter(record)
        assert "Mina" not in handler.format(record)


@pytest.mark.django_db
def test_a_bulk_entry_names_every_row_it_touched_and_the_chain_covers_the_list() -> None:
    from otclinic.clinic.audit.services import audit_bulk

    org = f.OrganizationFactory()
    ids = [uuid.uuid4() for _ in range(3)]
    entry = audit_bulk(
        object_type="revenue.claim", object_ids=ids, organization_id=org.pk, fields=["status"]
    )
    assert entry.action == AuditAction.BULK
    assert entry.object_ids == [str(i) for i in ids]
    assert entry.object_id == "3 rows"
    assert audit_verify().ok
    # The list is part of what the hash covers: dropping a row from it breaks the chain.
    from otclinic.clinic.audit.chain import entry_digest, payload_of

    changed = AuditEvent.objects.get(seq=entry.seq)
    changed.object_ids = changed.object_ids[:2]
    assert (
        entry_digest(prev_hash=changed.prev_hash, payload=payload_of(changed)) != entry.entry_hash
    )
