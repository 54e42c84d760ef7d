"""otclinic's hooks into django-oauth-toolkit (settings.OAUTH2_PROVIDER names them).

- `SmartValidator`: a client is usable only while its SmartClient is registered and not
  revoked; a Backend Services client authenticates only by a signed JWT (RS384 or ES384,
  checked against the JWK Set registered for it: iss, sub, aud, exp, a jti never used before);
  a client is granted only the scopes registered for it, of its kind's contexts (`system/` for
  a backend service; `patient/`, `user/`, `launch/patient`, `openid` and `fhirUser` for an
  app); issued tokens are audited, and the token response names the patient when the login
  reaches exactly one. The id_token (OpenID Connect, when the app was given `openid`) carries
  `sub`, the login's random id, and with `fhirUser` the FHIR URL of the person signed in;
  nothing else about them.
- `SmartServer`: OpenID Connect's server (id_tokens), short-lived tokens for backend services.
- `SmartScopes`: every SMART scope described in words for the consent page.
"""

import datetime as dt
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request
from oauthlib.openid import Server

from otclinic.clinic.smart import selectors, services
from otclinic.clinic.smart.models import ClientKind, SmartClient
from otclinic.domain.fhir import smart as rules

log = logging.getLogger(__name__)


def client_of(application: Any) -> SmartClient | None:
    """The registered SmartClient of an OAuth application, None when it has none or was
    revoked."""
    client: SmartClient | None = getattr(application, "smart_client", None)
    if client is None or client.revoked_at is not None:
        return None
    return client


def scope_grantable(scope: str, client: SmartClient) -> bool:
    """Whether `client` may be granted `scope`: registered for it, in its kind's contexts (and
    `openid` or `fhirUser` only while this server issues id_tokens)."""
    if scope in rules.IDENTITY_SCOPES and not oauth2_settings.OIDC_ENABLED:
        return False
    system = client.kind == ClientKind.BACKEND
    return rules.scope_fits(scope, system=system) and rules.scope_covered(scope, client.scopes)


class SmartValidator(OAuth2Validator):
    # The id_token's claims, each with the scope that asks for it: nothing personal beyond the
    # login's id and the FHIR URL of the person.
    oidc_claim_scope = {"sub": "openid", "fhirUser": "fhirUser"}

    def _load_application(self, client_id: str, request: Request) -> Any:
        application = super()._load_application(client_id, request)
        if application is not None and client_of(application) is None:
            request.client = None
            return None
        return application

    def authenticate_client(self, request: Request, *args: Any, **kwargs: Any) -> bool:
        params = dict(request.decoded_body or [])
        if "client_assertion" in params or "client_assertion_type" in params:
            return self._authenticate_by_assertion(request, params)
        client_id = request.client_id or ""
        application = self._load_application(client_id, request) if client_id else None
        if application is not None and application.smart_client.kind == ClientKind.BACKEND:
            return False  # a backend service signs in by its assertion only
        return bool(super().authenticate_client(request, *args, **kwargs))

    def _authenticate_by_assertion(self, request: Request, params: Mapping[str, str]) -> bool:
        if params.get("client_assertion_type") != rules.ASSERTION_TYPE:
            return False
        try:
            application = self._verified(request, params.get("client_assertion", ""))
        except (rules.AssertionRefused, JWException, ValueError, KeyError, TypeError) as exc:
            log.info("SMART client assertion refused: %s", exc)
            return False
        request.client = application
        request.client_id = application.client_id
        return True

    def _verified(self, request: Request, assertion: str) -> Any:
        """The backend service's application, when the assertion holds; raises otherwise."""
        unverified = jws.JWS()
        unverified.deserialize(assertion)
        payload = unverified.objects.get("payload", b"")
        client_id = str(json.loads(payload).get("iss", ""))
        application = self._load_application(client_id, request)
        if application is None or application.smart_client.kind != ClientKind.BACKEND:
            raise rules.AssertionRefused("no backend service is registered with this client_id")
        client = application.smart_client
        keys = jwk.JWKSet.from_json(json.dumps(client.jwks))
        verified = jwt.JWT(
            jwt=assertion,
            key=keys,
            algs=list(rules.ASSERTION_ALGORITHMS),
            check_claims=False,
            expected_type="JWS",
        )
        claims = json.loads(verified.claims)
        now = timezone.now()
        jti = rules.check_assertion_claims(
            claims, client_id=client_id, audience=self._token_endpoint(request), now=now.timestamp()
        )
        expires = dt.datetime.fromtimestamp(claims["exp"], tz=dt.UTC)
        services.assertion_use(client=client, jti=jti, expires_at=expires)
        return application

    def _token_endpoint(self, request: Request) -> str:
        """The token endpoint's absolute URL, as this request reached it: an assertion's aud.
        (The host is checked against ALLOWED_HOSTS; the scheme is the one Django saw.)"""
        secure = bool(request.headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE"))
        host = self.build_http_request(request).get_host()
        return f"{'https' if secure else 'http'}://{host}{request.uri.split('?')[0]}"

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Request, *a: Any, **k: Any
    ) -> bool:
        smart_client = client_of(client)
        return smart_client is not None and all(
            scope_grantable(scope, smart_client) for scope in scopes
        )

    def save_bearer_token(self, token: dict[str, Any], request: Request, *a: Any, **k: Any) -> Any:
        result = super().save_bearer_token(token, request, *a, **k)
        client = request.client.smart_client
        user = request.user if request.grant_type != "client_credentials" else None
        services.token_issued(client=client, user=user, scopes=token.get("scope", ""))
        patient = services.launch_patient(user=user, scopes=token.get("scope", "").split())
        if patient is not None:
            token["patient"] = str(patient)
        return result

    def get_additional_claims(self, request: Request) -> dict[str, Any]:
        """`fhirUser`: the person's FHIR URL (Patient for a patient's own portal login,
        Practitioner for staff; a caregiver has no resource of their own on this server)."""
        if "fhirUser" not in (request.scopes or ()):
            return {}
        found = selectors.fhir_user_of(request.user)
        if found is None:
            return {}
        fhir_base = urljoin(self.get_oidc_issuer_endpoint(request), "/fhir/R4/")
        return {"fhirUser": f"{fhir_base}{found.resource_type}/{found.id}"}

    def get_discovery_claims(self, request: Any) -> list[str]:
        return list(self.oidc_claim_scope)


def token_lifetime(request: Request) -> int:
    """Seconds an access token lives: a backend service's are short (settings)."""
    if request.grant_type == "client_credentials":
        seconds: int = settings.OTCLINIC_SMART_SYSTEM_TOKEN_SECONDS
        return seconds
    return int(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)


class SmartServer(Server):
    def __init__(self, request_validator: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["token_expires_in"] = token_lifetime
        super().__init__(request_validator, *args, **kwargs)


class _Described(Mapping[str, str]):
    """Every well-formed SMART scope, described in words (the consent page looks them up)."""

    def __getitem__(self, scope: str) -> str:
        if not rules.is_known_scope(scope):
            raise KeyError(scope)
        return rules.describe_scope(scope)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(rules.NAMED_SCOPES))

    def __len__(self) -> int:
        return len(rules.NAMED_SCOPES)

    def __contains__(self, scope: object) -> bool:
        return isinstance(scope, str) and rules.is_known_scope(scope)


class SmartScopes(BaseScopes):
    def get_all_scopes(self) -> Mapping[str, str]:
        return _Described()

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        """A client's registered scopes; without one, what the server offers (discovery)."""
        if application is None:
            return rules.offered_scopes(openid=oauth2_settings.OIDC_ENABLED)
        return _registered_scopes(application)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return _registered_scopes(application)


def _registered_scopes(application: Any) -> list[str]:
    client = client_of(application)
    return list(client.scopes) if client is not None else []
