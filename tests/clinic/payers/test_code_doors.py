"""`POST /api/v1/billing/check` checks with the caller's organization's codes, and answers with
the same bytes as `otclinic billing check FILE --codes CODES.yaml` holding the same codes."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

from otclinic.clinic.payers.services_codes import clinic_code_save
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/billing/check"
LOCAL = Path(__file__).parents[2] / "domain" / "billing" / "data" / "local_codes"
VISIT = LOCAL / "medicaid_encounter.json"
CODES = LOCAL / "clinic_codes.yaml"


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", "from otclinic.cli import main; main()", "billing", "check", *args],
        capture_output=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def biller() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="biller")


def save_codes_of_file(user: Any) -> None:
    """The clinic's code table page holding what the CLI's codes file holds."""
    for code, entry in yaml.safe_load(CODES.read_text())["codes"].items():
        clinic_code_save(user=user, code=code, **entry)


def test_the_api_and_the_cli_answer_alike_with_the_clinics_codes(
    client: Client, biller: Any
) -> None:
    save_codes_of_file(biller)
    client.force_login(biller)
    response = client.post(URL, data=VISIT.read_bytes(), content_type="application/json")
    answer = cli(str(VISIT), "--codes", str(CODES))
    assert answer.returncode == 0, answer.stderr
    assert response.status_code == 200
    assert response.content == answer.stdout
    assert b'"code": "T1015"' in response.content
    assert b'"billable": true' in response.content


def test_the_api_and_the_cli_answer_alike_without_them(client: Client, biller: Any) -> None:
    client.force_login(biller)
    response = client.post(URL, data=VISIT.read_bytes(), content_type="application/json")
    answer = cli(str(VISIT))
    assert response.content == answer.stdout
    assert b"codes.unknown" in response.content


def test_the_api_uses_only_the_callers_organizations_codes(client: Client, biller: Any) -> None:
    save_codes_of_file(biller)
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="OT"))
    response = client.post(URL, data=VISIT.read_bytes(), content_type="application/json")
    assert b"codes.unknown" in response.content
    assert b'"billable": false' in response.content
