"""Constraint cases for the SMART clients' tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from oauth2_provider.models import Application

from otclinic.clinic.smart.models import SmartClient, UsedAssertion
from tests.clinic import factories as f

Case = Callable[[bool], object]
KEYS = {"keys": [{"kty": "EC", "crv": "P-384", "x": "x", "y": "y"}]}


def _client(**fields: object) -> SmartClient:
    org = f.OrganizationFactory()
    values: dict[str, object] = {
        "organization": org,
        "application": Application.objects.create(
            name="Registry",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        ),
        "kind": "backend",
        "name": "Registry",
        "scopes": ["system/*.rs"],
        "jwks": KEYS,
        "registered_by": f.staff_user(organization=org, role="clinic_admin"),
        **fields,
    }
    return SmartClient.objects.create(**values)


def smart_client_kind_known(bad: bool) -> object:
    return _client(kind="robot" if bad else "app", jwks={})


def smart_backend_client_has_keys(bad: bool) -> object:
    return _client(jwks={} if bad else KEYS)


def smart_assertion_jti_once(bad: bool) -> object:
    client = _client()
    expires = timezone.now() + dt.timedelta(minutes=5)
    UsedAssertion.objects.create(
        organization=client.organization, client=client, jti="j1", expires_at=expires
    )
    return UsedAssertion.objects.create(
        organization=client.organization,
        client=client,
        jti="j1" if bad else "j2",
        expires_at=expires,
    )


SMART_CASES: list[tuple[str, Case]] = [
    ("smart_client_kind_known", smart_client_kind_known),
    ("smart_backend_client_has_keys", smart_backend_client_has_keys),
    ("smart_assertion_jti_once", smart_assertion_jti_once),
]
