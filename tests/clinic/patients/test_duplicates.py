"""A new patient born the same day as one on file, with a name that sounds alike, is warned
about before saving; the desk may open the match or create anyway."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f
from tests.clinic.patients.intake_setup import BORN, desk_of, patient_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic() -> Any:
    return f.ClinicFactory()


@pytest.fixture
def on_file(clinic: Any) -> Any:
    return f.PatientFactory(
        organization=clinic.organization,
        home_clinic=clinic,
        first_name="Sidney",
        last_name="Garcia",
        birth_date=BORN,
        mrn="OT-000042",
    )


@pytest.fixture
def desk_client(client: Client, clinic: Any) -> Client:
    client.force_login(desk_of(clinic.organization))
    return client


def _garcias(clinic: Any) -> int:
    return Patient.objects.filter(organization=clinic.organization, last_name="Garcia").count()


def test_garcia_sydney_is_warned_about_garcia_sidney_and_nothing_is_saved(
    desk_client: Client, clinic: Any, on_file: Any
) -> None:
    response = desk_client.post("/patients/new/", patient_form(clinic))
    body = response.content.decode()
    assert response.status_code == 422
    assert "This patient may already have a chart" in body
    assert f'href="/patients/{on_file.pk}/"' in body and "MRN OT-000042" in body
    assert 'name="create_anyway" value="yes"' in body
    assert _garcias(clinic) == 1


def test_create_anyway_saves_the_new_chart(desk_client: Client, clinic: Any, on_file: Any) -> None:
    form = patient_form(clinic) | {"create_anyway": "yes"}
    response = desk_client.post("/patients/new/", form)
    assert response.status_code == 302
    assert _garcias(clinic) == 2


def test_a_double_submit_warns_instead_of_making_a_second_chart(
    desk_client: Client, clinic: Any
) -> None:
    assert desk_client.post("/patients/new/", patient_form(clinic)).status_code == 302
    again = desk_client.post("/patients/new/", patient_form(clinic))
    assert again.status_code == 422 and "may already have a chart" in again.content.decode()
    assert _garcias(clinic) == 1


@pytest.mark.parametrize(
    "change",
    [{"birth_date": "2019-04-08"}, {"first_name": "Mateo"}],
    ids=["another birth date", "another first name"],
)
def test_a_different_patient_is_saved_without_a_warning(
    desk_client: Client, clinic: Any, on_file: Any, change: dict[str, str]
) -> None:
    response = desk_client.post("/patients/new/", patient_form(clinic, **change))
    assert response.status_code == 302
    assert _garcias(clinic) == 2


def test_another_organizations_patient_is_never_a_match(desk_client: Client, clinic: Any) -> None:
    f.PatientFactory(first_name="Sidney", last_name="Garcia", birth_date=BORN)
    assert desk_client.post("/patients/new/", patient_form(clinic)).status_code == 302


def test_the_api_answers_409_with_the_matches_then_creates_when_confirmed(
    desk_client: Client, clinic: Any, on_file: Any
) -> None:
    payload = {
        "first_name": "Sydney",
        "last_name": "Garcia",
        "birth_date": "2019-04-07",
        "sex": "F",
        "home_clinic_id": str(clinic.pk),
    }
    url = "/api/v1/patients/"
    warned = desk_client.post(url, payload, content_type="application/json")
    assert warned.status_code == 409
    assert [m["id"] for m in warned.json()["matches"]] == [str(on_file.pk)]
    assert _garcias(clinic) == 1
    confirmed = payload | {"create_anyway": True}
    created = desk_client.post(url, confirmed, content_type="application/json")
    assert created.status_code == 201 and created.json()["mrn"]
    assert _garcias(clinic) == 2
