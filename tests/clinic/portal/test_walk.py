"""A portal login walks the whole URLconf: staff pages and the API refuse it, and every portal
URL answers 404 for another patient's ids (one test per login walks every route, so the walk
shares one set of records instead of building a practice per URL)."""

import json
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.messaging.portal import portal_thread_start
from tests.clinic.portal.helpers import Shared, shared_patient
from tests.clinic.test_tenant_isolation import (
    ID_KINDS,
    PORTAL_PAGES,
    ROUTES,
    Route,
    Tenant,
    _attack_payload,
    _org_rows,
    _tenant,
)

pytestmark = pytest.mark.django_db

PORTAL_ROUTES = [r for r in ROUTES if r.name.startswith("portal-")]
# Every page but those a portal user is meant to open (the tenant walk's list).
STAFF_ROUTES = [r for r in ROUTES if r not in PORTAL_ROUTES and r.name not in PORTAL_PAGES]
WHO = ["patient_user", "caregiver_user"]


@pytest.fixture
def other(db: None) -> Tenant:
    """Another patient of the same practice, with every kind of record a URL can name."""
    return _tenant()


@pytest.fixture
def mine(other: Tenant) -> Shared:
    return shared_patient(org=other.org)


def _ids(route: Route, tenant: Tenant) -> dict[str, object]:
    return {p: ID_KINDS[p](tenant) for p in route.params}


def _post(client: Client, route: Route, url: str, payload: dict[str, object]) -> Any:
    if route.is_api:
        return client.post(url, json.dumps(payload), content_type="application/json")
    return client.post(url, payload)


def _refused(response: Any) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith("/portal/")
    return response.status_code in {401, 403, 404, 405}


def test_the_walk_finds_the_portal_pages() -> None:
    names = {r.name for r in PORTAL_ROUTES}
    assert {"portal-home", "portal-goals", "portal-document", "portal-thread"} <= names
    assert "patient-portal-access" in {r.name for r in STAFF_ROUTES}


@pytest.mark.parametrize("who", WHO)
def test_a_portal_login_is_refused_every_staff_page_and_the_api(
    client: Client, other: Tenant, mine: Shared, who: str
) -> None:
    client.force_login(getattr(mine, who))
    # The staff URLs with the other patient's records, and with the login's own patient.
    own = {
        "patient_id": mine.patient.pk,
        "episode_id": mine.episode.pk,
        "document_id": mine.document.pk,
    }
    before = _org_rows(other.org)
    failures = []
    for route in STAFF_ROUTES:
        for values in (
            _ids(route, other),
            _ids(route, other) | {k: v for k, v in own.items() if k in route.params},
        ):
            url = route.url(values)
            got = client.get(url)
            if not _refused(got):
                failures.append(f"GET {url} -> {got.status_code}")
            posted = _post(client, route, url, _attack_payload(other))
            if not _refused(posted):
                failures.append(f"POST {url} -> {posted.status_code}")
    assert not failures
    assert _org_rows(other.org) == before


@pytest.mark.parametrize("who", WHO)
def test_every_portal_url_with_another_patients_ids_is_404(
    client: Client, other: Tenant, mine: Shared, who: str
) -> None:
    client.force_login(getattr(mine, who))
    failures = []
    for route in [r for r in PORTAL_ROUTES if r.params]:
        theirs = _ids(route, other)
        # Their patient outright; and their records under the login's own patient.
        for values in (theirs, theirs | {"patient_id": mine.patient.pk}):
            if values == theirs | {"patient_id": mine.patient.pk} and route.params == (
                "patient_id",
            ):
                continue  # the login's own patient page: not another patient's
            url = route.url(values)
            for response in (client.get(url), client.post(url, {"body": "x", "subject": "x"})):
                if response.status_code != 404:
                    failures.append(f"{url} -> {response.status_code}")
                if other.patient.last_name in response.content.decode(errors="ignore"):
                    failures.append(f"{url} shows the other patient's name")
    assert not failures


def test_a_caregiver_cannot_read_another_patients_thread_under_their_own_patient(
    client: Client, other: Tenant, mine: Shared
) -> None:
    theirs = shared_patient(org=other.org)
    thread = portal_thread_start(
        user=theirs.caregiver_user, patient=theirs.patient, subject="Private", body="Secret words"
    )
    client.force_login(mine.caregiver_user)
    response = client.get(f"/portal/patients/{mine.patient.pk}/messages/{thread.pk}/")
    assert response.status_code == 404
    assert "Secret words" not in response.content.decode()
