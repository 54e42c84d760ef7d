"""schemathesis drives every API operation with generated input, signed in by a write token:
no answer is a server error, and every answer's status, content type and body are the ones the
OpenAPI schema declares. The number of examples is bounded so the run stays short."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from otclinic.clinic.accounts import api_tokens
from otclinic.config.wsgi import application
from tests.clinic import factories as f

CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def _test_connection_kept() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; the test's
    transaction lives on that connection (Django's test client keeps it open the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db: None, _test_connection_kept: None) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def bearer() -> dict[str, str]:
    patient = f.PatientFactory()
    f.CoverageFactory(patient=patient)
    user = f.staff_user(organization=patient.organization, role="clinic_admin")
    _row, secret = api_tokens.token_create(
        user=user, name="fuzz", scopes=["read", "write"], lifetime_days=30
    )
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_as_its_schema_says(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)
