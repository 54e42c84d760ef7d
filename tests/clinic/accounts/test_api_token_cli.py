"""`otclinic api-token`: the same tokens as the user's page, from the server's shell."""

from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from otclinic.cli.api_token import api_token
from otclinic.clinic.accounts.models import ApiToken
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="front_desk")


def test_a_token_made_on_the_command_line_works_until_revoked(client: Client, desk: Any) -> None:
    made = CliRunner().invoke(
        api_token, ["create", "--user", desk.username, "--name", "EHR bridge", "--scope", "write"]
    )
    assert made.exit_code == 0, made.output
    token_line, secret = made.output.strip().splitlines()
    token = ApiToken.objects.get(user=desk)
    assert token_line.startswith(str(token.pk)) and token.scopes == ["read", "write"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/payers/", headers=headers).status_code == 200
    listed = CliRunner().invoke(api_token, ["list", "--user", desk.username])
    assert "EHR bridge" in listed.output and secret not in listed.output
    revoked = CliRunner().invoke(api_token, ["revoke", "--user", desk.username, str(token.pk)])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/payers/", headers=headers).status_code == 401


def test_another_users_token_cannot_be_revoked(desk: Any) -> None:
    CliRunner().invoke(api_token, ["create", "--user", desk.username, "--name", "x"])
    token = ApiToken.objects.get(user=desk)
    other = f.staff_user(organization=desk.organization, role="biller")
    result = CliRunner().invoke(api_token, ["revoke", "--user", other.username, str(token.pk)])
    assert result.exit_code != 0
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_unknown_user_is_refused_by_name() -> None:
    result = CliRunner().invoke(api_token, ["create", "--user", "nobody", "--name", "x"])
    assert result.exit_code != 0 and "--user" in result.output
