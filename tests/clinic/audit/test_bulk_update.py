"""`QuerySet.update` and `bulk_update` of tenant rows, which send no per-row signals, record one
entry per organization naming every row they changed and the fields."""

from typing import Any

import pytest

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


def _updates() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="patients.patient")
    )


@pytest.fixture
def patients() -> list[Any]:
    org = f.OrganizationFactory()
    return [f.PatientFactory(organization=org) for _ in range(3)]


def test_an_update_records_one_entry_naming_every_row_and_the_fields(patients: list[Any]) -> None:
    first, second, _ = patients
    changed = Patient.objects.filter(pk__in=[first.pk, second.pk]).update(preferred_name="X")
    assert changed == 2
    (entry,) = _updates()
    assert sorted(entry.object_ids) == sorted([str(first.pk), str(second.pk)])
    assert entry.fields == ["preferred_name"]
    assert entry.organization_id == first.organization_id
    assert entry.object_id == "2 rows"
    assert audit_verify().ok


def test_an_update_that_moves_rows_out_of_its_filter_still_names_them(
    patients: list[Any],
) -> None:
    Patient.objects.filter(pk=patients[0].pk).update(preferred_name="Before")
    Patient.objects.filter(preferred_name="Before").update(preferred_name="After")
    entries = _updates()
    assert [e.object_ids for e in entries] == [[str(patients[0].pk)]] * 2


def test_a_bulk_update_is_recorded_the_same_way(patients: list[Any]) -> None:
    for patient in patients:
        patient.preferred_name = "Bulk"
    Patient.objects.bulk_update(patients, ["preferred_name"])
    (entry,) = _updates()
    assert sorted(entry.object_ids) == sorted(str(p.pk) for p in patients)


def test_an_update_across_organizations_records_one_entry_per_organization(
    patients: list[Any],
) -> None:
    other = f.PatientFactory()
    Patient.objects.filter(pk__in=[patients[0].pk, other.pk]).update(preferred_name="Y")
    by_org = {e.organization_id: e.object_ids for e in _updates()}
    assert by_org == {
        patients[0].organization_id: [str(patients[0].pk)],
        other.organization_id: [str(other.pk)],
    }


def test_an_update_of_no_rows_or_only_timestamps_records_nothing(patients: list[Any]) -> None:
    Patient.objects.filter(mrn="no such patient").update(preferred_name="Z")
    Patient.objects.filter(pk=patients[0].pk).update(updated_at=patients[0].updated_at)
    assert not _updates()
