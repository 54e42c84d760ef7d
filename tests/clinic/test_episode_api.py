"""`POST /api/v1/episodes/check`: the same answer as the command line, for staff only."""

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.clinic.factories import PASSWORD, OrganizationFactory, PortalAccessFactory, staff_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/episodes/check"
CONTRACT_EXAMPLE = (
    Path(__file__).parent.parent / "domain" / "compliance" / "data" / "contract_example.json"
)


@pytest.fixture
def ot_client(client: Client) -> Client:
    client.force_login(staff_user(organization=OrganizationFactory(), role="OT"))
    return client


def _cli_answer(raw: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", "from otclinic.cli import main; main()", "episode", "check", "-"],
        input=raw,
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_it_answers_with_the_same_bytes_as_the_command_line(ot_client: Client) -> None:
    raw = CONTRACT_EXAMPLE.read_bytes()

    response = ot_client.post(URL, data=raw, content_type="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == _cli_answer(raw).stdout
    assert json.loads(response.content)["progress_report"]["due_by"] == "2025-03-24"


def test_bad_input_answers_422_naming_the_field_like_the_command_line(ot_client: Client) -> None:
    data = json.loads(CONTRACT_EXAMPLE.read_bytes())
    data["documents"][2]["type"] = "visit"
    raw = json.dumps(data).encode()

    response = ot_client.post(URL, data=raw, content_type="application/json")

    assert response.status_code == 422
    errors = json.loads(response.content)["errors"]
    assert errors == [
        "documents[2].type: must be one of evaluation, reevaluation, treatment, "
        "progress_report, discharge"
    ]
    assert errors == _cli_answer(raw).stderr.decode().splitlines()


def test_a_body_that_is_not_json_answers_422(ot_client: Client) -> None:
    response = ot_client.post(URL, data=b"{", content_type="application/json")

    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0].startswith("input: invalid JSON")


def test_other_systems_may_call_it_with_http_basic(client: Client) -> None:
    user = staff_user(organization=OrganizationFactory(), role="biller")
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()

    response = client.post(
        URL,
        data=CONTRACT_EXAMPLE.read_bytes(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )

    assert response.status_code == 200


def test_an_anonymous_caller_is_refused(client: Client) -> None:
    response = client.post(URL, data=CONTRACT_EXAMPLE.read_bytes(), content_type="application/json")

    assert response.status_code == 401


def test_a_portal_user_is_refused(client: Client) -> None:
    client.force_login(PortalAccessFactory().user)

    response = client.post(URL, data=CONTRACT_EXAMPLE.read_bytes(), content_type="application/json")

    assert response.status_code == 403
