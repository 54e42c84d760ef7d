"""Discovery: .well-known/smart-configuration and the CapabilityStatement's security."""

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
