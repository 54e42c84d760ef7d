"""Entries of a transaction are appended when it commits, in one batch, and only then.

Transactional tests (each commits for real), on SQLite and PostgreSQL: what a rollback, a
savepoint rollback and autocommit do to the entries recorded inside them.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.models import AuditAction, AuditChainHead, AuditEvent
from otclinic.clinic.audit.services import audit_record, audit_verify
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk() -> Any:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    return f.staff_user(organization=org, role="front_desk")


def _data(desk: Any, mrn: str) -> dict[str, Any]:
    return {
        "mrn": mrn,
        "first_name": "Pending",
        "last_name": f"Patient{mrn}",
        "birth_date": dt.date(1950, 1, 1),
        "sex": "F",
        "home_clinic": desk.organization.clinics.first(),
    }


def test_outside_a_transaction_an_entry_is_written_before_the_call_returns(desk: Any) -> None:
    entry = audit_record(
        action=AuditAction.VIEW, object_type="test.page", organization_id=desk.organization_id
    )
    assert entry.seq is not None
    assert AuditEvent.objects.filter(seq=entry.seq).exists()
    assert entry.position == AuditChainHead.objects.get(chain=str(desk.organization_id)).entries


def test_a_transactions_entries_wait_for_its_commit_and_go_in_together(desk: Any) -> None:
    before = AuditEvent.objects.count()
    with acting_as(actor_for_user(desk)), transaction.atomic():
        for n in range(3):
            patient_services.patient_create(user=desk, data=_data(desk, f"P{n}"))
        # Nothing written yet, and the chain's head untouched: no lock held during the work.
        assert AuditEvent.objects.count() == before
        assert connection.audit_pending
    assert not connection.audit_pending
    entries = list(AuditEvent.objects.filter(seq__gt=0).order_by("seq")[before:])
    assert [e.action for e in entries] == [AuditAction.CREATE] * 3
    first = entries[0].position
    assert [e.position for e in entries] == [first, first + 1, first + 2]
    assert audit_verify().ok


def _fails_halfway(desk: Any) -> None:
    with transaction.atomic():
        patient_services.patient_create(user=desk, data=_data(desk, "R1"))
        raise RuntimeError("the job failed halfway")


def test_a_rolled_back_transaction_leaves_no_entries(desk: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), acting_as(actor_for_user(desk)):
        _fails_halfway(desk)
    assert AuditEvent.objects.count() == before
    assert not connection.audit_pending
    assert audit_verify().ok


def _refused_form(desk: Any) -> None:
    """A form refused inside its own atomic block: the first patient's row is written, then a
    second patient with an MRN already taken is refused, and the block rolls back."""
    with transaction.atomic():
        patient_services.patient_create(user=desk, data=_data(desk, "S2"))
        patient_services.patient_create(user=desk, data=_data(desk, "S1"))


def test_a_rolled_back_savepoint_drops_only_the_entries_recorded_inside_it(desk: Any) -> None:
    with acting_as(actor_for_user(desk)), transaction.atomic():
        kept = patient_services.patient_create(user=desk, data=_data(desk, "S1"))
        with pytest.raises(ValidationFailed):
            _refused_form(desk)
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="patients.patient")
    assert [e.object_id for e in created] == [str(kept.pk)]
    assert not Patient.objects.filter(mrn="S2").exists()
    assert audit_verify().ok


def test_a_failed_commit_leaves_no_entries(desk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """If appending the batch fails, the transaction rolls back: nothing half-written."""
    from otclinic.clinic.audit import chain

    def refuse(events: Any) -> None:
        raise IntegrityError("refused")

    before_patients, before = Patient.objects.count(), AuditEvent.objects.count()
    monkeypatch.setattr(chain, "append_batch", refuse)
    with pytest.raises(IntegrityError), acting_as(actor_for_user(desk)), transaction.atomic():
        patient_services.patient_create(user=desk, data=_data(desk, "F1"))
    monkeypatch.undo()
    assert (Patient.objects.count(), AuditEvent.objects.count()) == (before_patients, before)
    assert audit_verify().ok
