"""A SMART app launch and a Backend Services assertion, as a partner's program makes them."""

import base64
import hashlib
import json
import secrets
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from django.test import Client
from django.utils import timezone
from jwcrypto import jwk, jwt

from otclinic.clinic.smart import services
from otclinic.clinic.smart.models import ClientKind, SmartClient
from otclinic.domain.fhir.smart import ASSERTION_TYPE
from tests.clinic import factories as f

REDIRECT = "https://app.example/callback"
TOKEN_URL = "http://testserver/oauth/token"


def admin_of(org: Any) -> Any:
    return f.staff_user(organization=org, role="clinic_admin")


def register_app(org: Any, *scopes: str) -> SmartClient:
    return services.client_register(
        user=admin_of(org),
        kind=ClientKind.APP,
        name="Home exercise tracker",
        scopes=scopes or ("patient/*.rs", "user/*.rs", "launch/patient"),
        redirect_uris=REDIRECT,
    )


def ec_key(kid: str = "k1") -> jwk.JWK:
    return jwk.JWK.generate(kty="EC", crv="P-384", alg="ES384", kid=kid)


def register_backend(org: Any, key: jwk.JWK, *scopes: str) -> SmartClient:
    return services.client_register(
        user=admin_of(org),
        kind=ClientKind.BACKEND,
        name="Outcomes registry",
        scopes=scopes or ("system/*.rs",),
        jwks={"keys": [json.loads(key.export_public())]},
    )


def pkce() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636 section 4)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(
    app: SmartClient, scope: str, challenge: str, method: str = "S256"
) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": app.application.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "st-1",
        "aud": "http://testserver/fhir/R4",
        "code_challenge": challenge,
        "code_challenge_method": method,
    }


def consent(
    browser: Client, app: SmartClient, scope: str, challenge: str, method: str = "S256"
) -> Any:
    """The signed-in person allows the app on the consent page: the redirect back to the app."""
    params = authorize_params(app, scope, challenge, method)
    page = browser.get(f"/oauth/authorize?{urlencode(params)}")
    assert page.status_code == 200, page.content[:300]
    return browser.post("/oauth/authorize", {**params, "allow": "Authorize"})


def code_from(response: Any) -> str:
    assert response.status_code == 302, response.content[:300]
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["state"] == ["st-1"], query
    return query["code"][0]


def exchange(app: SmartClient, code: str, verifier: str) -> Any:
    return Client().post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.application.client_id,
            "code_verifier": verifier,
        },
    )


def launch(browser: Client, app: SmartClient, scope: str) -> dict[str, Any]:
    """A whole standalone launch: the token response."""
    verifier, challenge = pkce()
    response = exchange(app, code_from(consent(browser, app, scope, challenge)), verifier)
    assert response.status_code == 200, response.content[:300]
    body: dict[str, Any] = response.json()
    return body


def assertion(
    client: SmartClient,
    key: jwk.JWK,
    *,
    aud: str = TOKEN_URL,
    lifetime: int = 240,
    jti: str | None = None,
    alg: str = "ES384",
) -> str:
    now = int(timezone.now().timestamp())
    client_id = client.application.client_id
    token = jwt.JWT(
        header={"alg": alg, "kid": key["kid"], "typ": "JWT"},
        claims={
            "iss": client_id,
            "sub": client_id,
            "aud": aud,
            "exp": now + lifetime,
            "jti": jti or str(uuid.uuid4()),
        },
    )
    token.make_signed_token(key)
    return str(token.serialize())


def system_token(signed: str, scope: str = "system/*.rs") -> Any:
    return Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": signed,
        },
    )


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def ids(bundle: dict[str, Any]) -> set[str]:
    return {entry["resource"]["id"] for entry in bundle.get("entry", [])}
