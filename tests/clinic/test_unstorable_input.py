"""Input no database can keep or no parser should try answers 422 naming the field, on SQLite
and PostgreSQL alike: a NUL in a query string, a form or a JSON body, JSON nested 1,000 levels
deep, an integer of 5,000 digits. Never a 500, and nothing saved."""

import json
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.domain.compliance.jsonio import MAX_DEPTH
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "holds a NUL character, which cannot be stored"
DEEP = "[" * 1000 + "]" * 1000
HUGE_INT = "9" * 5000


@pytest.fixture
def desk(client: Client) -> Any:
    org = f.OrganizationFactory()
    client.force_login(f.staff_user(organization=org, role="front_desk"))
    patient = f.PatientFactory(organization=org)
    payer = f.PayerFactory(organization=org)
    return type("Desk", (), {"org": org, "patient": patient, "payer": payer})


def _patient_body(desk: Any, **changes: Any) -> dict[str, Any]:
    return {
        "mrn": "NUL001",
        "first_name": "Ottilie",
        "last_name": "Brandt",
        "birth_date": "1950-02-28",
        "sex": "F",
        "home_clinic_id": str(desk.patient.home_clinic_id),
    } | changes


def _post_json(client: Client, url: str, body: str) -> Any:
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("url", ["/patients/?q=%00", "/patients/?q=ab%00cd", "/patients/?%00=x"])
def test_a_nul_in_the_patient_search_answers_422_naming_the_field(
    client: Client, desk: Any, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 422
    page = response.content.decode()
    assert NUL_MESSAGE in page
    assert ("“\\0”" if "%00=" in url else "“q”") in page


def test_a_nul_in_the_api_search_answers_422_json_naming_the_field(
    client: Client, desk: Any
) -> None:
    response = client.get("/api/v1/patients/?q=%00")

    assert response.status_code == 422
    assert response.json() == {"errors": {"q": [f"{NUL_MESSAGE}; remove it and try again"]}}


def test_a_nul_in_a_form_field_answers_422_naming_it_and_saves_nothing(
    client: Client, desk: Any
) -> None:
    before = Patient.objects.count()
    form = {
        "mrn": "NUL002",
        "first_name": "Ott\x00ilie",
        "last_name": "Brandt",
        "birth_date": "1950-02-28",
        "sex": "F",
        "home_clinic": desk.patient.home_clinic_id,
    }

    response = client.post("/patients/new/", form)

    assert response.status_code == 422
    assert "“first_name”" in response.content.decode()
    assert Patient.objects.count() == before


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/patients/", {"first_name": "Ott\x00ilie"}, "first_name"),
        ("/api/v1/patients/", {"last_name": "\x00"}, "last_name"),
        ("/api/v1/patients/", {"mrn": "NUL\x00003"}, "mrn"),
        (
            "/api/v1/physicians/",
            {"first_name": "Ada", "last_name": "Love\x00lace", "npi": "1234567893"},
            "last_name",
        ),
    ],
    ids=["patient-first-name", "patient-last-name", "patient-mrn", "physician-last-name"],
)
def test_a_nul_in_a_json_body_answers_422_naming_the_field_and_saves_nothing(
    client: Client, desk: Any, url: str, body: dict[str, Any], field: str
) -> None:
    if url.endswith("/patients/"):
        body = _patient_body(desk, **body)
    before = (Patient.objects.count(), ReferringPhysician.objects.count())

    response = _post_json(client, url, json.dumps(body))

    assert response.status_code == 422
    assert response.json() == {"errors": {field: [NUL_MESSAGE]}}
    assert (Patient.objects.count(), ReferringPhysician.objects.count()) == before


def test_a_nul_in_a_coverage_member_id_answers_422_naming_it(client: Client, desk: Any) -> None:
    body = {
        "patient_id": str(desk.patient.pk),
        "payer_id": str(desk.payer.pk),
        "member_id": "1EG4\x00TE5",
        "starts_on": "2026-01-01",
    }

    response = _post_json(client, "/api/v1/coverages/", json.dumps(body))

    assert response.status_code == 422
    assert response.json() == {"errors": {"member_id": [NUL_MESSAGE]}}
    assert not Coverage.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/patients/", "/api/v1/physicians/", "/api/v1/coverages/"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (DEEP, f"nested deeper than {MAX_DEPTH} arrays and objects at line 1 column 65"),
        (
            '{"first_name": ' + HUGE_INT + "}",
            "a number of 5000 digits is too long (at most 50 digits)",
        ),
        ('{"first_name": NaN}', "NaN is not a JSON number"),
    ],
    ids=["nested-1000", "int-5000-digits", "nan"],
)
def test_a_body_no_parser_should_read_answers_422_on_every_json_api(
    client: Client, desk: Any, url: str, body: str, message: str
) -> None:
    response = _post_json(client, url, body)

    assert response.status_code == 422
    assert response.json() == {"errors": {"input": [message]}}


@pytest.mark.parametrize("url", ["/api/v1/billing/check", "/api/v1/episodes/check"])
@pytest.mark.parametrize("body", [DEEP, '{"as_of": ' + HUGE_INT + "}"], ids=["nested", "int"])
def test_the_check_doors_answer_422_with_the_command_lines_line(
    client: Client, desk: Any, url: str, body: str
) -> None:
    door = "billing" if "billing" in url else "episode"
    cli = subprocess.run(
        [sys.executable, "-c", "from otclinic.cli import main; main()", door, "check", "-"],
        input=body.encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )

    response = _post_json(client, url, body)

    assert cli.returncode == 2
    assert response.status_code == 422
    assert response.json() == {"errors": cli.stderr.decode().splitlines()}


def test_a_sound_body_still_creates_the_patient(client: Client, desk: Any) -> None:
    response = _post_json(client, "/api/v1/patients/", json.dumps(_patient_body(desk)))

    assert response.status_code == 201
    assert Patient.objects.filter(mrn="NUL001").exists()


def test_a_body_that_is_not_json_answers_422_naming_where_it_broke(
    client: Client, desk: Any
) -> None:
    response = _post_json(client, "/api/v1/patients/", "{not json")

    assert response.status_code == 422
    assert response.json()["errors"]["input"][0].startswith("invalid JSON at line 1 column 2")


@pytest.mark.parametrize("form", [{"first_name": "x"}, {"first_name": "a\x00b"}])
def test_a_form_posted_to_the_json_api_is_refused_as_not_json_never_a_500(
    client: Client, desk: Any, form: dict[str, str]
) -> None:
    # Multipart: reading it as a form before the API reads the body would make that a 500.
    response = client.post("/api/v1/patients/", form)

    assert response.status_code == 422
    assert response.json()["errors"]["input"][0].startswith("invalid JSON at line 1 column 1")
