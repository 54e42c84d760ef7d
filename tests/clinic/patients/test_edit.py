"""Demographics, contacts and coverage are edited from the chart after saving: each change is
in the audit trail with the fields it changed, and a save over someone else's newer one is
refused in plain words."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.versions import version_of
from otclinic.clinic.patients import services
from otclinic.clinic.payers import services as payer_services
from otclinic.clinic.payers.models import Authorization
from tests.clinic import factories as f
from tests.clinic.patients.intake_setup import desk_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient() -> Any:
    return f.PatientFactory(first_name="Sydney", last_name="Garcia", phone="555-0100")


@pytest.fixture
def desk(patient: Any) -> Any:
    return desk_of(patient.organization)


@pytest.fixture
def desk_client(client: Client, desk: Any) -> Client:
    client.force_login(desk)
    return client


def _demographics(patient: Any, **values: Any) -> dict[str, Any]:
    data = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "birth_date": patient.birth_date.isoformat(),
        "sex": patient.sex,
        "phone": patient.phone,
        "home_clinic": str(patient.home_clinic_id),
        "version": version_of(patient),
    }
    return data | values


def _updates(object_type: str, object_id: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action="update", object_type=object_type, object_id=object_id)
    )


def test_the_chart_offers_the_edit_links(desk_client: Client, patient: Any) -> None:
    coverage = f.CoverageFactory(patient=patient)
    body = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="/patients/{patient.pk}/edit/"' in body
    assert f'href="/coverage/{coverage.pk}/edit/"' in body


def test_demographics_are_edited_and_the_trail_names_the_fields(
    desk_client: Client, patient: Any
) -> None:
    url = f"/patients/{patient.pk}/edit/"
    assert 'value="555-0100"' in desk_client.get(url).content.decode()
    response = desk_client.post(url, _demographics(patient, phone="555-0199", city="Albany"))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone, patient.city) == ("555-0199", "Albany")
    [entry] = _updates("patients.patient", str(patient.pk))
    assert entry.fields == ["city", "phone"]
    assert entry.patient_id == patient.pk


def test_a_save_over_a_newer_one_is_refused_and_changes_nothing(
    desk_client: Client, patient: Any, desk: Any
) -> None:
    opened = _demographics(patient, phone="555-0111")
    data = {"phone": "555-0222", "first_name": "Sydney"}
    services.patient_update(user=desk, patient=patient, data=data, version=version_of(patient))
    response = desk_client.post(f"/patients/{patient.pk}/edit/", opened)
    assert response.status_code == 422
    assert "Someone else saved this patient&#x27;s details at" in response.content.decode()
    patient.refresh_from_db()
    assert patient.phone == "555-0222"


def test_a_bad_field_is_named_and_nothing_is_saved(desk_client: Client, patient: Any) -> None:
    response = desk_client.post(
        f"/patients/{patient.pk}/edit/", _demographics(patient, birth_date="07/04/2019x")
    )
    assert response.status_code == 422
    assert "Birth date: Enter a date as YYYY-MM-DD." in response.content.decode()
    assert _updates("patients.patient", str(patient.pk)) == []


def test_the_mrn_cannot_be_changed_by_an_edit(desk_client: Client, patient: Any) -> None:
    mrn = patient.mrn
    desk_client.post(f"/patients/{patient.pk}/edit/", _demographics(patient, mrn="HACK-1"))
    patient.refresh_from_db()
    assert patient.mrn == mrn


def test_a_role_without_edit_demographics_is_refused(client: Client, patient: Any) -> None:
    client.force_login(f.staff_user(organization=patient.organization, role="biller"))
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403
    assert client.post(f"/patients/{patient.pk}/edit/", _demographics(patient)).status_code == 403


def test_a_stale_contact_edit_is_refused(desk: Any, patient: Any) -> None:
    contact = services.contact_add(
        user=desk, patient=patient, data={"name": "Ana Reyes", "relationship": "parent"}
    )
    stale = version_of(contact)
    services.contact_update(user=desk, contact=contact, data={"phone": "1"}, version=stale)
    with pytest.raises(ValidationFailed, match="Someone else saved this contact"):
        services.contact_update(user=desk, contact=contact, data={"phone": "2"}, version=stale)


def _coverage_form(coverage: Any, *rows: dict[str, Any], **values: Any) -> dict[str, Any]:
    data = {
        "payer": str(coverage.payer_id),
        "member_id": coverage.member_id,
        "priority": coverage.priority,
        "starts_on": coverage.starts_on.isoformat(),
        "subscriber_relationship": "self",
        "version": version_of(coverage),
        "auth-TOTAL_FORMS": str(len(rows)),
        "auth-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
    }
    for n, row in enumerate(rows):
        data |= {f"auth-{n}-{k}": v for k, v in row.items()}
    return data | values


NEW_AUTHORIZATION = {
    "discipline": "OT",
    "number": "AUTH-7781",
    "visits": "12",
    "starts_on": "2026-12-01",
    "ends_on": "2027-02-28",
}


def test_coverage_gets_an_authorization_in_one_save(desk_client: Client, patient: Any) -> None:
    coverage = f.CoverageFactory(patient=patient)
    url = f"/coverage/{coverage.pk}/edit/"
    page = desk_client.get(url).content.decode()
    assert 'name="auth-0-number"' in page and "Authorizations" in page
    response = desk_client.post(url, _coverage_form(coverage, NEW_AUTHORIZATION, group_number="G1"))
    assert response.status_code == 302, re.findall(
        r'role="alert">(.*?)</', response.content.decode()
    )
    [auth] = Authorization.objects.filter(coverage=coverage)
    assert (auth.discipline, auth.number, auth.visits) == ("OT", "AUTH-7781", 12)
    assert (auth.starts_on, auth.ends_on) == (dt.date(2026, 12, 1), dt.date(2027, 2, 28))
    [entry] = _updates("payers.coverage", str(coverage.pk))
    assert entry.fields == ["group_number"]
    assert AuditEvent.objects.filter(
        action="create", object_type="payers.authorization", object_id=str(auth.pk)
    ).exists()
    chart = desk_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "OT authorization AUTH-7781: 12 visits, 12/01/2026 to 02/28/2027" in chart


def test_a_bad_authorization_row_names_its_field_and_saves_nothing(
    desk_client: Client, patient: Any
) -> None:
    coverage = f.CoverageFactory(patient=patient)
    bad = NEW_AUTHORIZATION | {"visits": "0", "ends_on": "2026-11-01"}
    response = desk_client.post(
        f"/coverage/{coverage.pk}/edit/", _coverage_form(coverage, bad, group_number="G1")
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Authorized visits: Enter at least 1 visit." in body
    assert "Authorized through: The last authorized day cannot be before the first." in body
    coverage.refresh_from_db()
    assert coverage.group_number == "" and not Authorization.objects.exists()


def test_an_authorization_is_changed_and_removed(desk: Any, patient: Any) -> None:
    coverage = f.CoverageFactory(patient=patient)
    auth = Authorization.objects.create(
        organization=patient.organization,
        coverage=coverage,
        discipline="PT",
        number="P1",
        visits=6,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    change = payer_services.AuthorizationChange(data={"visits": 8}, authorization=auth)
    payer_services.coverage_update(
        user=desk, coverage=coverage, data={}, version=version_of(coverage), authorizations=[change]
    )
    auth.refresh_from_db()
    assert auth.visits == 8
    assert _updates("payers.authorization", str(auth.pk))[0].fields == ["visits"]
    coverage.refresh_from_db()
    removal = payer_services.AuthorizationChange(data={}, authorization=auth, remove=True)
    payer_services.coverage_update(
        user=desk,
        coverage=coverage,
        data={},
        version=version_of(coverage),
        authorizations=[removal],
    )
    assert not Authorization.objects.filter(pk=auth.pk).exists()


def test_a_stale_coverage_edit_is_refused_with_its_authorizations(desk: Any, patient: Any) -> None:
    coverage = f.CoverageFactory(patient=patient)
    stale = version_of(coverage)
    payer_services.coverage_update(
        user=desk, coverage=coverage, data={"group_number": "G2"}, version=stale
    )
    add = payer_services.AuthorizationChange(data=NEW_AUTHORIZATION | {"visits": 3})
    with pytest.raises(ValidationFailed, match="Someone else saved this coverage"):
        payer_services.coverage_update(
            user=desk, coverage=coverage, data={}, version=stale, authorizations=[add]
        )
    assert not Authorization.objects.exists()


def test_another_organizations_coverage_is_not_found(desk_client: Client) -> None:
    other = f.CoverageFactory()
    assert desk_client.get(f"/coverage/{other.pk}/edit/").status_code == 404


def test_the_same_edit_sent_twice_is_saved_once_and_is_no_conflict(
    desk_client: Client, patient: Any
) -> None:
    form = _demographics(patient, phone="555-0199")
    assert desk_client.post(f"/patients/{patient.pk}/edit/", form).status_code == 302
    assert desk_client.post(f"/patients/{patient.pk}/edit/", form).status_code == 302
    assert len(_updates("patients.patient", str(patient.pk))) == 1


def test_the_same_coverage_form_sent_twice_adds_one_authorization(
    desk_client: Client, patient: Any
) -> None:
    coverage = f.CoverageFactory(patient=patient)
    form = _coverage_form(coverage, NEW_AUTHORIZATION)
    for _ in range(2):
        assert desk_client.post(f"/coverage/{coverage.pk}/edit/", form).status_code == 302
    assert Authorization.objects.filter(coverage=coverage).count() == 1
