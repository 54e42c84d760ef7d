"""Registering apps: the admin's page and the services' checks."""

import json
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.smart import services
from otclinic.clinic.smart.models import ClientKind, SmartClient
from tests.clinic import factories as f
from tests.clinic.smart.helpers import REDIRECT, admin_of, ec_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("scopes", "algorithm"),
    [
        ("patient/*.rs launch/patient", ""),
        # An app given openid gets id_tokens signed with the server's RSA key.
        ("openid fhirUser patient/*.rs launch/patient", "RS256"),
    ],
)
def test_an_admin_registers_an_app_on_the_page(client: Client, scopes: str, algorithm: str) -> None:
    org = f.OrganizationFactory()
    client.force_login(admin_of(org))
    response = client.post(
        "/oauth/apps/",
        {
            "name": "Home exercise tracker",
            "kind": ClientKind.APP,
            "scopes": scopes,
            "redirect_uris": REDIRECT,
        },
    )
    assert response.status_code == 302
    app = SmartClient.objects.get(organization=org)
    assert app.scopes == sorted(scopes.split())
    assert app.application.client_type == "public"
    assert app.application.algorithm == algorithm
    assert app.application.client_id in client.get("/oauth/apps/").content.decode()


def test_the_page_refuses_a_backend_service_without_public_keys(client: Client) -> None:
    org = f.OrganizationFactory()
    client.force_login(admin_of(org))
    response = client.post(
        "/oauth/apps/", {"name": "Registry", "kind": ClientKind.BACKEND, "scopes": "system/*.rs"}
    )
    assert response.status_code == 422
    assert not SmartClient.objects.filter(organization=org).exists()


def test_a_therapist_may_not_register_apps(client: Client) -> None:
    org = f.OrganizationFactory()
    client.force_login(f.staff_user(organization=org, role="OT"))
    assert client.get("/oauth/apps/").status_code == 403


def test_a_private_key_is_never_accepted_as_the_jwks() -> None:
    key = ec_key()
    with pytest.raises(ValidationFailed):
        services.client_register(
            user=admin_of(f.OrganizationFactory()),
            kind=ClientKind.BACKEND,
            name="Registry",
            scopes=["system/*.rs"],
            jwks={"keys": [json.loads(key.export_private())]},
        )


@pytest.mark.parametrize(
    ("kind", "scopes", "why"),
    [
        (ClientKind.BACKEND, ["user/*.rs"], "not user/*.rs"),
        (ClientKind.APP, ["system/*.rs"], "not system/*.rs"),
        (ClientKind.APP, [], "Give patient/"),
        # fhirUser is a claim of the id_token; a backend service has no person signed in.
        (ClientKind.APP, ["fhirUser", "patient/*.rs"], "give openid with it"),
        (ClientKind.BACKEND, ["openid", "system/*.rs"], "not openid"),
        (ClientKind.BACKEND, ["fhirUser", "system/*.rs"], "not fhirUser"),
        (ClientKind.APP, ["profile", "openid"], "not profile"),
    ],
)
def test_scopes_must_suit_the_kind_of_client(kind: str, scopes: list[str], why: str) -> None:
    key = ec_key()
    with pytest.raises(ValidationFailed) as refused:
        services.client_register(
            user=admin_of(f.OrganizationFactory()),
            kind=kind,
            name="Client",
            scopes=scopes,
            redirect_uris=REDIRECT,
            jwks={"keys": [json.loads(key.export_public())]},
        )
    assert why in str(refused.value.errors["scopes"])


def test_another_organizations_admin_cannot_revoke_the_app(client: Client) -> None:
    key = ec_key()
    org = f.OrganizationFactory()
    app = services.client_register(
        user=admin_of(org),
        kind=ClientKind.BACKEND,
        name="Registry",
        scopes=["system/*.rs"],
        jwks={"keys": [json.loads(key.export_public())]},
    )
    client.force_login(admin_of(f.OrganizationFactory()))
    assert client.post(f"/oauth/apps/{app.pk}/revoke/").status_code == 404
    app.refresh_from_db()
    assert app.revoked_at is None


def test_openid_is_refused_while_the_server_issues_no_id_token(settings: Any) -> None:
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ENABLED": False}
    with pytest.raises(ValidationFailed) as refused:
        services.client_register(
            user=admin_of(f.OrganizationFactory()),
            kind=ClientKind.APP,
            name="Who am I",
            scopes=["openid", "patient/*.rs"],
            redirect_uris=REDIRECT,
        )
    assert "SMART_OPENID is off" in str(refused.value.errors["scopes"])
