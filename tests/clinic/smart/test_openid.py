"""OpenID Connect: an app given `openid fhirUser` learns who signed in from a signed id_token."""

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from jwcrypto import jwk, jwt

from tests.clinic import factories as f
from tests.clinic.portal.helpers import shared_patient
from tests.clinic.smart.helpers import (
    authorize_params,
    bearer,
    consent,
    launch,
    pkce,
    register_app,
)

pytestmark = pytest.mark.django_db

ISSUER = "http://testserver/oauth"
SCOPE = "openid fhirUser patient/*.rs launch/patient"
# What OpenID Connect itself puts in an id_token, and fhirUser: nothing else about the person.
ALLOWED_CLAIMS = {"iss", "sub", "aud", "exp", "iat", "auth_time", "jti", "at_hash", "fhirUser"}


def verified_claims(id_token: str) -> dict[str, Any]:
    """The id_token's claims, once its signature holds with a key the server publishes."""
    published = Client().get("/oauth/.well-known/jwks.json").content.decode()
    token = jwt.JWT(jwt=id_token, key=jwk.JWKSet.from_json(published), algs=["RS256"])
    claims: dict[str, Any] = json.loads(token.claims)
    return claims


def test_a_patients_app_learns_the_patient_they_are_and_reads_that_record(
    client: Client,
) -> None:
    shared = shared_patient()
    patient_login = shared.self_access.user
    app = register_app(shared.patient.organization, *SCOPE.split())
    client.force_login(patient_login)
    token = launch(client, app, SCOPE)

    claims = verified_claims(token["id_token"])
    assert claims["iss"] == ISSUER
    assert claims["aud"] == app.application.client_id
    assert claims["sub"] == str(patient_login.pk)
    assert claims["fhirUser"] == f"http://testserver/fhir/R4/Patient/{shared.patient.pk}"
    assert set(claims) <= ALLOWED_CLAIMS
    assert set(token["scope"].split()) == set(SCOPE.split())
    assert abs(claims["exp"] - claims["iat"] - token["expires_in"]) <= 2  # lives as long

    path = urlparse(claims["fhirUser"]).path
    record = Client().get(path, **bearer(token["access_token"]))
    assert record.status_code == 200
    assert record.json()["id"] == str(shared.patient.pk)


def test_a_caregivers_app_learns_who_signed_in_but_no_fhir_user(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, *SCOPE.split())
    client.force_login(shared.caregiver_user)
    token = launch(client, app, SCOPE)

    claims = verified_claims(token["id_token"])
    assert claims["iss"] == ISSUER
    assert claims["aud"] == app.application.client_id
    # An opaque id of the login: neither the username nor anything about the person.
    assert claims["sub"] == str(shared.caregiver_user.pk)
    assert shared.caregiver_user.username not in json.dumps(claims)
    # No resource of this server is the caregiver (there is no RelatedPerson).
    assert "fhirUser" not in claims
    assert set(claims) <= ALLOWED_CLAIMS
    assert token["patient"] == str(shared.patient.pk)


def test_a_staff_members_app_learns_the_practitioner_they_are(client: Client) -> None:
    org = f.OrganizationFactory()
    therapist = f.staff_user(organization=org, role="OT")
    app = register_app(org, "openid", "fhirUser", "user/*.rs")
    client.force_login(therapist)
    token = launch(client, app, "openid fhirUser user/*.rs")

    claims = verified_claims(token["id_token"])
    profile = therapist.staff_profile
    assert claims["fhirUser"] == f"http://testserver/fhir/R4/Practitioner/{profile.pk}"
    assert claims["sub"] == str(therapist.pk)


def test_an_app_that_asks_only_openid_gets_no_fhir_user(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, *SCOPE.split())
    client.force_login(shared.self_access.user)
    token = launch(client, app, "openid patient/*.rs")
    claims = verified_claims(token["id_token"])
    assert "fhirUser" not in claims
    assert claims["sub"] == str(shared.self_access.user.pk)


def test_an_app_not_given_openid_gets_no_id_token(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, "patient/*.rs", "launch/patient")
    client.force_login(shared.self_access.user)
    token = launch(client, app, "patient/*.rs launch/patient")
    assert "id_token" not in token
    assert token["patient"] == str(shared.patient.pk)


def test_an_app_not_given_openid_may_not_ask_for_it(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, "patient/*.rs", "launch/patient")
    client.force_login(shared.self_access.user)
    _verifier, challenge = pkce()
    page = client.get("/oauth/authorize", authorize_params(app, "openid patient/*.rs", challenge))
    assert page.status_code == 302
    assert parse_qs(urlparse(page["Location"]).query)["error"] == ["invalid_scope"]


def test_the_authorization_response_names_the_same_issuer_as_discovery(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, *SCOPE.split())
    client.force_login(shared.self_access.user)
    _verifier, challenge = pkce()
    response = consent(client, app, SCOPE, challenge)
    assert parse_qs(urlparse(response["Location"]).query)["iss"] == [ISSUER]
    discovery = Client().get("/oauth/.well-known/openid-configuration").json()
    assert discovery["issuer"] == ISSUER


def test_userinfo_answers_the_same_claims_to_a_token_given_openid_only(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, *SCOPE.split())
    client.force_login(shared.self_access.user)
    with_openid = launch(client, app, SCOPE)
    info = Client().get("/oauth/userinfo", **bearer(with_openid["access_token"]))
    assert info.status_code == 200
    assert info.json() == {
        "sub": str(shared.self_access.user.pk),
        "fhirUser": f"http://testserver/fhir/R4/Patient/{shared.patient.pk}",
    }
    without = launch(client, app, "patient/*.rs")
    refused = Client().get("/oauth/userinfo", **bearer(without["access_token"]))
    assert refused.status_code in {401, 403}
