"""Consents end access: a revocation ends what was recorded before it, and the narrowest consent
in force decides each portal page (patients.access)."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otclinic.clinic.messaging import selectors as messaging_selectors
from otclinic.clinic.messaging import services as messaging
from otclinic.clinic.messaging.access import visible_threads
from otclinic.clinic.patients.access import portal_grants, visible_portal_patients
from otclinic.clinic.patients.models import PortalScope
from otclinic.clinic.portal import services
from otclinic.clinic.portal.staff_selectors import access_overview
from tests.clinic import factories as f
from tests.clinic.portal.helpers import ALL, Shared

pytestmark = pytest.mark.django_db

# The five pages of a patient's record in the portal, by the scope each needs (None: the
# overview, open to anyone with a grant).
PAGES = {
    None: "",
    PortalScope.GOALS: "goals/",
    PortalScope.HOME_PROGRAM: "home-program/",
    PortalScope.APPOINTMENTS: "appointments/",
    PortalScope.MESSAGES: "messages/",
}


def _front_desk(shared: Shared) -> Any:
    return f.staff_user(organization=shared.patient.organization, role="front_desk")


def _record(shared: Shared, scopes: list[str], *, days_ago: int) -> Any:
    return services.consent_record(
        user=_front_desk(shared),
        patient=shared.patient,
        contact=shared.contact,
        scopes=scopes,
        signed_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def _statuses(client: Client, shared: Shared) -> dict[Any, int]:
    base = f"/portal/patients/{shared.patient.pk}/"
    return {scope: client.get(base + path).status_code for scope, path in PAGES.items()}


def _caregiver(client: Client, shared: Shared) -> Client:
    client.force_login(shared.caregiver_user)
    return client


@pytest.mark.parametrize("later_signed_days_ago", [5, 20])
def test_revoking_a_consent_ends_access_although_another_was_recorded_after_it(
    client: Client, shared: Shared, later_signed_days_ago: int
) -> None:
    # The second consent is recorded after the first, signed after it or (backdated) before it.
    _record(shared, ALL, days_ago=later_signed_days_ago)
    _caregiver(client, shared)
    assert set(_statuses(client, shared).values()) == {200}

    services.consent_revoke(user=_front_desk(shared), consent=shared.consent)

    statuses = _statuses(client, shared)
    assert set(statuses.values()) == {403}, statuses
    for path in PAGES.values():
        body = client.get(f"/portal/patients/{shared.patient.pk}/{path}").content.decode()
        assert "Your access has ended" in body
        assert "Buttons a shirt" not in body and "Shared home program" not in body
    assert shared.patient.last_name not in client.get("/portal/").content.decode()
    assert portal_grants(shared.caregiver_user) == []


def test_a_consent_recorded_after_the_revocation_opens_again_with_its_own_scopes(
    client: Client, shared: Shared
) -> None:
    services.consent_revoke(user=_front_desk(shared), consent=shared.consent)
    _caregiver(client, shared)
    assert set(_statuses(client, shared).values()) == {403}
    _record(shared, [PortalScope.GOALS], days_ago=0)
    statuses = _statuses(client, shared)
    assert statuses.pop(None) == 200 and statuses.pop(PortalScope.GOALS) == 200
    assert set(statuses.values()) == {403}, statuses


@pytest.mark.parametrize("narrow_signed_days_ago", [2, 30])
def test_the_narrowest_consent_in_force_decides_each_page(
    client: Client, shared: Shared, narrow_signed_days_ago: int
) -> None:
    # Every scope on the first consent; goals and appointments only on a second one, signed
    # after the first or before it: either way both are in force, and the second is narrower.
    narrow = [PortalScope.GOALS, PortalScope.APPOINTMENTS]
    _record(shared, narrow, days_ago=narrow_signed_days_ago)
    _caregiver(client, shared)

    statuses = _statuses(client, shared)
    assert statuses == {
        None: 200,
        PortalScope.GOALS: 200,
        PortalScope.HOME_PROGRAM: 403,
        PortalScope.APPOINTMENTS: 200,
        PortalScope.MESSAGES: 403,
    }
    overview = client.get(f"/portal/patients/{shared.patient.pk}/").content.decode()
    assert f"/portal/patients/{shared.patient.pk}/goals/" in overview
    assert f"/portal/patients/{shared.patient.pk}/home-program/" not in overview
    assert f"/portal/patients/{shared.patient.pk}/messages/" not in overview
    document = client.get(
        f"/portal/patients/{shared.patient.pk}/home-program/{shared.document.pk}/"
    )
    assert document.status_code == 403
    (grant,) = portal_grants(shared.caregiver_user)
    assert grant.scopes == frozenset(narrow)


def test_an_expired_narrower_consent_no_longer_narrows(client: Client, shared: Shared) -> None:
    narrow = _record(shared, [PortalScope.GOALS], days_ago=9)
    narrow.expires_on = timezone.localdate() - dt.timedelta(days=1)
    narrow.save()
    _caregiver(client, shared)
    assert set(_statuses(client, shared).values()) == {200}


def test_a_caregiver_narrowed_to_goals_neither_lists_nor_opens_the_thread(
    client: Client, shared: Shared
) -> None:
    # The reported case: the inbox listed the thread with an unread badge, opening it refused.
    therapist = shared.episode.therapist.user
    thread = messaging.thread_start(
        user=therapist,
        subject="Home exercises",
        body="How are the exercises going?",
        patient=shared.patient,
        people=[shared.caregiver_user],
    )
    caregiver = shared.caregiver_user
    assert thread in visible_threads(caregiver)
    assert messaging_selectors.unread_count_for(user=caregiver) == 1

    _record(shared, [PortalScope.GOALS], days_ago=1)

    assert thread not in visible_threads(caregiver)
    assert messaging_selectors.unread_count_for(user=caregiver) == 0
    assert shared.patient not in visible_portal_patients(caregiver, scope=PortalScope.MESSAGES)
    _caregiver(client, shared)
    overview = client.get(f"/portal/patients/{shared.patient.pk}/").content.decode()
    assert "new message" not in overview
    assert client.get(f"/portal/patients/{shared.patient.pk}/messages/").status_code == 403
    opened = client.get(f"/portal/patients/{shared.patient.pk}/messages/{thread.pk}/")
    assert opened.status_code == 403
    assert "How are the exercises going?" not in opened.content.decode()


def test_the_staff_section_shows_a_consent_ended_by_a_later_revocation_as_not_in_force(
    shared: Shared,
) -> None:
    later = _record(shared, ALL, days_ago=5)
    services.consent_revoke(user=_front_desk(shared), consent=shared.consent)
    overview = access_overview(patient=shared.patient)
    in_force = {line.consent.pk: line.in_force for line in overview.consents}
    assert in_force == {shared.consent.pk: False, later.pk: False}
    caregiver = next(a for a in overview.accesses if a.access == shared.caregiver_access)
    assert not caregiver.in_force
    again = _record(shared, [PortalScope.GOALS], days_ago=0)
    overview = access_overview(patient=shared.patient)
    assert {line.consent.pk for line in overview.consents if line.in_force} == {again.pk}
