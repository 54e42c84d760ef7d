"""POST Patient and PUT Patient/[id]: the registration's duplicate check, versions, roles."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.patients.models import Patient
from otclinic.domain.fhir.terminology import mrn_system
from tests.clinic import factories as f
from tests.clinic.fhir.writing import issue, patient_resource, post, put, valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db: Any) -> Any:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    return f.staff_user(organization=org, role="front_desk")


@pytest.fixture
def client_of(client: Client, desk: Any) -> Client:
    client.force_login(desk)
    return client


def test_a_posted_patient_becomes_a_chart_with_an_mrn(client_of: Client, desk: Any) -> None:
    response = post(client_of, "Patient", patient_resource())
    assert response.status_code == 201, response.content
    body = valid(response.json())
    row = Patient.objects.get(pk=body["id"])
    assert (row.last_name, row.first_name, str(row.birth_date)) == (
        "Okafor",
        "Adaeze",
        "1948-02-11",
    )
    assert row.organization_id == desk.organization_id
    assert response["ETag"] == f'W/"{body["meta"]["versionId"]}"'
    assert response["Location"].endswith(f"/Patient/{row.pk}/_history/{body['meta']['versionId']}")


def test_a_missing_birth_date_is_400_naming_the_element(client_of: Client) -> None:
    response = post(client_of, "Patient", patient_resource(birthDate=None))
    assert response.status_code == 400
    assert issue(response)["expression"] == ["Patient.birthDate"]
    assert not Patient.objects.exists()


def test_an_unknown_gender_names_the_gender(client_of: Client) -> None:
    response = post(client_of, "Patient", patient_resource(gender="x"))
    assert response.status_code == 400
    assert issue(response)["expression"] == ["Patient.gender"]


def test_a_likely_duplicate_is_refused_409_naming_the_chart(client_of: Client, desk: Any) -> None:
    twin = f.PatientFactory(
        organization=desk.organization,
        first_name="Adaeze",
        last_name="Okafor",
        birth_date="1948-02-11",
    )
    response = post(client_of, "Patient", patient_resource())
    assert response.status_code == 409
    found = issue(response)
    assert found["code"] == "duplicate"
    assert f"Patient/{twin.pk}" in found["diagnostics"]
    assert Patient.objects.count() == 1


def test_the_charts_mrn_as_identifier_finds_it_and_changes_nothing(
    client_of: Client, desk: Any
) -> None:
    chart = f.PatientFactory(
        organization=desk.organization,
        first_name="Adaeze",
        last_name="Okafor",
        birth_date="1948-02-11",
    )
    mrn = {"system": mrn_system(desk.organization_id), "value": chart.mrn}
    response = post(client_of, "Patient", patient_resource(identifier=[mrn], gender="male"))
    assert response.status_code == 200
    assert response.json()["id"] == str(chart.pk)
    chart.refresh_from_db()
    assert chart.sex == "F"
    assert Patient.objects.count() == 1


def test_if_none_exist_posted_twice_makes_one_chart(client_of: Client, desk: Any) -> None:
    mrn = {"system": mrn_system(desk.organization_id), "value": "EXT-77"}
    condition = {"If-None-Exist": f"identifier={mrn['system']}|EXT-77"}
    first = post(client_of, "Patient", patient_resource(identifier=[mrn]), **condition)
    again = post(client_of, "Patient", patient_resource(identifier=[mrn]), **condition)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Patient.objects.get().mrn == "EXT-77"


def _chart_read(client: Client, patient: Any) -> tuple[dict[str, Any], str]:
    response = client.get(f"/fhir/R4/Patient/{patient.pk}")
    assert response.status_code == 200
    return response.json(), response["ETag"]


def test_put_with_the_read_etag_changes_the_chart(client_of: Client, desk: Any) -> None:
    chart = f.PatientFactory(organization=desk.organization)
    body, etag = _chart_read(client_of, chart)
    body["telecom"] = [{"system": "phone", "value": "555-0199"}]
    response = put(client_of, f"Patient/{chart.pk}", body, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    chart.refresh_from_db()
    assert chart.phone == "555-0199"
    assert response["ETag"] != etag


def test_put_with_a_stale_etag_is_412_and_changes_nothing(client_of: Client, desk: Any) -> None:
    chart = f.PatientFactory(organization=desk.organization, phone="555-0100")
    body, etag = _chart_read(client_of, chart)
    chart.city = "Dayton"
    chart.save()  # someone edits the chart on its page meanwhile
    body["telecom"] = [{"system": "phone", "value": "555-0199"}]
    response = put(client_of, f"Patient/{chart.pk}", body, **{"If-Match": etag})
    assert response.status_code == 412
    chart.refresh_from_db()
    assert chart.phone == "555-0100"


def test_put_without_if_match_is_428_when_the_setting_requires_it(
    client_of: Client, desk: Any, settings: Any
) -> None:
    settings.OTCLINIC_FHIR_REQUIRE_IF_MATCH = True
    chart = f.PatientFactory(organization=desk.organization)
    body, _etag = _chart_read(client_of, chart)
    assert put(client_of, f"Patient/{chart.pk}", body).status_code == 428


def test_put_on_another_organizations_patient_is_404_and_changes_nothing(
    client_of: Client, desk: Any
) -> None:
    other = f.PatientFactory(phone="555-0100")
    body = patient_resource(id=str(other.pk))
    response = put(client_of, f"Patient/{other.pk}", body)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.last_name != "Okafor"


def test_a_role_that_may_not_register_patients_gets_403(client: Client, desk: Any) -> None:
    client.force_login(f.staff_user(organization=desk.organization, role="biller"))
    response = post(client, "Patient", patient_resource())
    assert response.status_code == 403
    assert not Patient.objects.exists()


def test_an_api_token_with_the_write_scope_writes_and_a_read_token_does_not(
    client: Client, desk: Any
) -> None:
    read_only = post(client, "Patient", patient_resource(), **f.bearer(desk, "read"))
    assert read_only.status_code == 403
    written = post(client, "Patient", patient_resource(), **f.bearer(desk))
    assert written.status_code == 201


def test_http_basic_may_not_write(client: Client, desk: Any) -> None:
    import base64

    token = base64.b64encode(f"{desk.username}:{f.PASSWORD}".encode()).decode()
    response = post(client, "Patient", patient_resource(), Authorization=f"Basic {token}")
    assert response.status_code == 403
    assert not Patient.objects.exists()


def test_a_session_write_needs_its_csrf_token(desk: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)
    assert post(client, "Patient", patient_resource()).status_code == 403
