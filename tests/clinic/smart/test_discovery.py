"""Discovery: .well-known/smart-configuration and the CapabilityStatement's security."""

from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

pytestmark = pytest.mark.django_db


def test_the_smart_configuration_names_the_endpoints_and_s256(client: Client) -> None:
    response = client.get("/fhir/R4/.well-known/smart-configuration")
    assert response.status_code == 200
    body = response.json()
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert body["token_endpoint"] == "http://testserver/oauth/token"
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert set(body["token_endpoint_auth_signing_alg_values_supported"]) == {"RS384", "ES384"}
    assert "permission-v2" in body["capabilities"]


def test_the_capability_statement_declares_smart_with_its_oauth_uris(client: Client) -> None:
    statement = client.get("/fhir/R4/metadata").json()
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    security = statement["rest"][0]["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    (oauth,) = security["extension"]
    uris = {e["url"]: e["valueUri"] for e in oauth["extension"]}
    assert uris["token"] == "http://testserver/oauth/token"
    assert uris["authorize"] == "http://testserver/oauth/authorize"


def test_the_smart_configuration_offers_openid_and_fhir_user(client: Client) -> None:
    body = client.get("/fhir/R4/.well-known/smart-configuration").json()
    assert "sso-openid-connect" in body["capabilities"]
    assert {"openid", "fhirUser"} <= set(body["scopes_supported"])
    # SMART: with sso-openid-connect, the issuer is the OpenID Connect issuer, and the keys
    # the id_tokens are signed with are named.
    assert body["issuer"] == "http://testserver/oauth"
    assert body["jwks_uri"] == "http://testserver/oauth/.well-known/jwks.json"


def test_the_openid_configuration_names_the_issuer_keys_and_what_is_offered(
    client: Client,
) -> None:
    response = client.get("/oauth/.well-known/openid-configuration")
    assert response.status_code == 200
    body = response.json()
    assert body["issuer"] == "http://testserver/oauth"
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert body["token_endpoint"] == "http://testserver/oauth/token"
    assert body["jwks_uri"] == "http://testserver/oauth/.well-known/jwks.json"
    assert body["id_token_signing_alg_values_supported"][0] == "RS256"
    assert body["response_types_supported"] == ["code"]
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "fhirUser", "patient/*.rs", "launch/patient"} <= set(body["scopes_supported"])
    assert set(body["claims_supported"]) == {"sub", "fhirUser"}


def test_the_jwks_publishes_one_public_rsa_key(client: Client) -> None:
    (key,) = client.get("/oauth/.well-known/jwks.json").json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in key  # never the private part


def test_without_openid_nothing_offers_it(client: Client, settings: Any) -> None:
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ENABLED": False}
    body = client.get("/fhir/R4/.well-known/smart-configuration").json()
    assert "sso-openid-connect" not in body["capabilities"]
    assert not {"openid", "fhirUser"} & set(body["scopes_supported"])
    assert "jwks_uri" not in body
    assert client.get("/oauth/.well-known/openid-configuration").status_code == 404
