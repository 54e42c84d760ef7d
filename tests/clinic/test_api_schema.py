"""The OpenAPI schema says what the API answers: every operation declares 401, 403, 404, 422 and
429, and each error body the API gives validates against the schema its operation declares."""

import json
import uuid
from typing import Any

import jsonschema
import pytest
from django.test import Client

from otclinic.clinic.accounts import api_tokens
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

ERRORS = {"401", "403", "404", "422", "429"}


@pytest.fixture
def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def _operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_operation_declares_the_error_answers(openapi: dict[str, Any]) -> None:
    operations = _operations(openapi)
    assert len(operations) >= 12
    for method, path, operation in operations:
        missing = ERRORS - set(operation["responses"])
        assert not missing, f"{method} {path} does not declare {sorted(missing)}"


def test_every_operation_declares_the_token_as_a_way_in(openapi: dict[str, Any]) -> None:
    schemes = openapi["components"]["securitySchemes"]
    bearer = [name for name, s in schemes.items() if s.get("scheme") == "bearer"]
    assert bearer
    for method, path, operation in _operations(openapi):
        assert any(bearer[0] in way for way in operation["security"]), f"{method} {path}"


def _check(openapi: dict[str, Any], method: str, path: str, response: Any) -> None:
    """The body validates against the schema the operation declares for its status."""
    declared = openapi["paths"][path][method.lower()]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    document = {**schema, "components": openapi["components"]}
    jsonschema.validate(response.json(), document)


@pytest.fixture
def patient() -> Any:
    return f.PatientFactory()


@pytest.fixture
def bearer(patient: Any) -> dict[str, str]:
    desk = f.staff_user(organization=patient.organization, role="front_desk")
    _row, secret = api_tokens.token_create(
        user=desk, name="t", scopes=["read", "write"], lifetime_days=30
    )
    return {"Authorization": f"Bearer {secret}"}


PATIENT = "/api/v1/patients/{patient_id}"
PATIENTS = "/api/v1/patients/"


def test_401_is_the_documented_shape(client: Client, openapi: dict[str, Any]) -> None:
    response = client.get(PATIENTS)
    assert response.status_code == 401
    _check(openapi, "GET", PATIENTS, response)


def test_403_is_the_documented_shape(client: Client, openapi: dict[str, Any], patient: Any) -> None:
    client.force_login(f.staff_user(organization=patient.organization, role="student"))
    response = client.get(PATIENTS)
    assert response.status_code == 403
    _check(openapi, "GET", PATIENTS, response)


def test_404_is_the_documented_shape(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str]
) -> None:
    response = client.get(f"/api/v1/patients/{uuid.uuid4()}", headers=bearer)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    _check(openapi, "GET", PATIENT, response)


def test_a_parameter_that_does_not_validate_is_422_by_field(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str]
) -> None:
    response = client.get(PATIENTS, {"limit": "many"}, headers=bearer)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]
    _check(openapi, "GET", PATIENTS, response)
    response = client.get("/api/v1/patients/not-an-id", headers=bearer)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["patient_id"]
    _check(openapi, "GET", PATIENT, response)


def test_a_body_missing_fields_is_422_naming_each(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str]
) -> None:
    response = client.post(
        PATIENTS, json.dumps({"first_name": "Ann"}), content_type="application/json", headers=bearer
    )
    assert response.status_code == 422
    assert {"last_name", "birth_date", "sex", "home_clinic_id"} <= set(response.json()["errors"])
    _check(openapi, "POST", PATIENTS, response)


@pytest.mark.parametrize("body", [b"[]", b"{", b'{"first_name": NaN}'])
def test_a_body_that_is_not_an_object_is_422_on_the_whole_input(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str], body: bytes
) -> None:
    response = client.post(PATIENTS, body, content_type="application/json", headers=bearer)
    assert response.status_code == 422
    _check(openapi, "POST", PATIENTS, response)


def test_a_services_refusal_is_the_same_422_shape(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str]
) -> None:
    body = {
        "first_name": "A",
        "last_name": "B",
        "birth_date": "1950-01-01",
        "sex": "F",
        "home_clinic_id": str(uuid.uuid4()),
    }
    response = client.post(
        PATIENTS, json.dumps(body), content_type="application/json", headers=bearer
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["home_clinic_id"]
    _check(openapi, "POST", PATIENTS, response)


def test_the_checks_422_is_the_documented_list_of_lines(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/billing/check", b"{}", content_type="application/json", headers=bearer
    )
    assert response.status_code == 422
    _check(openapi, "POST", "/api/v1/billing/check", response)


def test_429_is_the_documented_shape(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str], settings: Any
) -> None:
    settings.OTCLINIC_THROTTLE_RATES = {**settings.OTCLINIC_THROTTLE_RATES, "api": "1/m"}
    client.get(PATIENTS, headers=bearer)
    response = client.get(PATIENTS, headers=bearer)
    assert response.status_code == 429
    _check(openapi, "GET", PATIENTS, response)


def test_the_revenue_and_messaging_answers_are_the_documented_shapes(
    client: Client, openapi: dict[str, Any]
) -> None:
    from tests.clinic.revenue.remittance.helpers import make_claim

    claim = make_claim(organization=f.OrganizationFactory())
    biller = f.staff_user(organization=claim.organization, role="biller")
    _row, secret = api_tokens.token_create(
        user=biller, name="t", scopes=["read", "write"], lifetime_days=30
    )
    headers = {"Authorization": f"Bearer {secret}"}
    assert {"/api/v1/claims/{claim_id}", "/api/v1/remittances/", "/api/v1/threads/"} <= set(
        openapi["paths"]
    )
    reads = [
        ("/api/v1/claims/", "/api/v1/claims/"),
        (f"/api/v1/claims/{claim.pk}", "/api/v1/claims/{claim_id}"),
        ("/api/v1/remittances/", "/api/v1/remittances/"),
        ("/api/v1/denials/", "/api/v1/denials/"),
        ("/api/v1/threads/", "/api/v1/threads/"),
        ("/api/v1/tasks/", "/api/v1/tasks/"),
    ]
    for url, path in reads:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.content)
        _check(openapi, "GET", path, response)
    writes = [
        (
            f"/api/v1/claims/{claim.pk}/status",
            "/api/v1/claims/{claim_id}/status",
            {"status": "draft"},
        ),
        (f"/api/v1/claims/{claim.pk}/void", "/api/v1/claims/{claim_id}/void", {}),
        ("/api/v1/remittances/", "/api/v1/remittances/", {"file_name": "a", "content": "x"}),
    ]
    for url, path, body in writes:
        response = client.post(
            url, json.dumps(body), content_type="application/json", headers=headers
        )
        assert response.status_code == 422, (url, response.content)
        _check(openapi, "POST", path, response)


def test_an_unknown_api_path_is_the_documented_404(
    client: Client, openapi: dict[str, Any], bearer: dict[str, str]
) -> None:
    response = client.get("/api/v1/no-such-thing/", headers=bearer)
    assert response.status_code == 404
    _check(openapi, "GET", PATIENT, response)
