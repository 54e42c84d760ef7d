"""`otclinic fhir-client`: the admin's page, from the server's shell."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from otclinic.cli.app import cli
from otclinic.clinic.smart.models import SmartClient
from tests.clinic import factories as f
from tests.clinic.smart.helpers import admin_of, ec_key

pytestmark = pytest.mark.django_db(transaction=False)


def test_register_list_and_revoke_a_backend_service(tmp_path: Path) -> None:
    admin = admin_of(f.OrganizationFactory())
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps({"keys": [json.loads(ec_key().export_public())]}))
    registered = CliRunner().invoke(
        cli,
        [
            "fhir-client",
            "register",
            "--admin",
            admin.username,
            "--name",
            "Registry",
            "--kind",
            "backend",
            "--scope",
            "system/Patient.rs",
            "--jwks",
            str(keys),
        ],
    )
    assert registered.exit_code == 0, registered.output
    client = SmartClient.objects.get(organization=admin.organization)
    assert client.application.client_id in registered.output
    listed = CliRunner().invoke(cli, ["fhir-client", "list", "--admin", admin.username])
    assert f"{client.pk} {client.application.client_id} Registry" in listed.output
    revoked = CliRunner().invoke(
        cli, ["fhir-client", "revoke", "--admin", admin.username, str(client.pk)]
    )
    assert revoked.exit_code == 0, revoked.output
    client.refresh_from_db()
    assert client.revoked_at is not None


def test_a_therapist_cannot_register_a_client() -> None:
    therapist = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    result = CliRunner().invoke(
        cli,
        [
            "fhir-client",
            "register",
            "--admin",
            therapist.username,
            "--name",
            "App",
            "--kind",
            "app",
            "--scope",
            "patient/*.rs",
            "--redirect-uri",
            "https://a.example/cb",
        ],
    )
    assert result.exit_code != 0
    assert not SmartClient.objects.exists()


def test_register_an_app_given_openid_and_fhir_user() -> None:
    admin = admin_of(f.OrganizationFactory())
    scopes = ["openid", "fhirUser", "patient/*.rs", "launch/patient"]
    options = [arg for scope in scopes for arg in ("--scope", scope)]
    register = ["fhir-client", "register", "--admin", admin.username, "--name", "Who am I"]
    result = CliRunner().invoke(
        cli, [*register, "--kind", "app", *options, "--redirect-uri", "https://a.example/cb"]
    )
    assert result.exit_code == 0, result.output
    client = SmartClient.objects.get(organization=admin.organization)
    assert set(client.scopes) == set(scopes)
    assert client.application.algorithm == "RS256"
