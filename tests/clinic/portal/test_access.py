"""What a patient and a caregiver see in the portal, and how fast it ends."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.portal import services
from tests.clinic import factories as f
from tests.clinic.portal.helpers import Shared, contact_for, sharing_consent

pytestmark = pytest.mark.django_db

SECTIONS = {
    "goals": "goals/",
    "home_program": "home-program/",
    "appointments": "appointments/",
}


def _signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _url(shared: Shared, section: str = "") -> str:
    return f"/portal/patients/{shared.patient.pk}/{section}"


@pytest.mark.parametrize("who", ["patient_user", "caregiver_user"])
def test_a_portal_user_sees_goals_home_program_and_appointments(
    client: Client, shared: Shared, who: str
) -> None:
    _signed_in(client, getattr(shared, who))
    home = client.get("/portal/").content.decode()
    assert shared.patient.last_name in home
    goals = client.get(_url(shared, "goals/"))
    assert goals.status_code == 200
    body = goals.content.decode()
    assert "Buttons a shirt on her own in 5 minutes" in body
    assert "Working on it" in body and "<svg" in body and "<table>" in body
    assert "9.5" in body  # the signed note's measure
    assert "7.25" not in body  # a draft note's measure is not shown
    programs = client.get(_url(shared, "home-program/")).content.decode()
    assert "Shared home program" in programs
    assert "Unshared draft program" not in programs
    visits = client.get(_url(shared, "appointments/")).content.decode()
    assert timezone.localtime(shared.appointment.starts_at).strftime("%B %-d") in visits
    assert visits.count('class="visit"') == 1  # the past visit is not listed


def test_a_shared_document_downloads_and_an_unshared_one_is_404(
    client: Client, shared: Shared
) -> None:
    _signed_in(client, shared.caregiver_user)
    ok = client.get(_url(shared, f"home-program/{shared.document.pk}/"))
    assert ok.status_code == 200 and b"".join(ok.streaming_content).startswith(b"%PDF")
    hidden = client.get(_url(shared, f"home-program/{shared.hidden_document.pk}/"))
    assert hidden.status_code == 404


def test_every_portal_page_view_is_in_the_audit_trail(client: Client, shared: Shared) -> None:
    _signed_in(client, shared.caregiver_user)
    before = AuditEvent.objects.filter(action="view", patient_id=shared.patient.pk).count()
    for section in ["", "goals/", "home-program/", "appointments/"]:
        client.get(_url(shared, section))
    views = AuditEvent.objects.filter(action="view", patient_id=shared.patient.pk)
    assert views.count() == before + 4
    goals = views.filter(actor_id=shared.caregiver_user.pk, detail__startswith="portal goals ")
    assert goals.exists()


def _locked_out(client: Client, shared: Shared) -> None:
    for section in ["", "goals/", "home-program/", "appointments/"]:
        response = client.get(_url(shared, section))
        assert response.status_code == 403
        body = response.content.decode()
        assert "Your access has ended" in body
        assert "Buttons a shirt" not in body and "Shared home program" not in body
    home = client.get("/portal/")
    assert "Your access has ended" in home.content.decode()
    assert shared.patient.last_name not in home.content.decode()


def test_a_revoked_consent_locks_the_caregiver_out_on_the_next_request(
    client: Client, shared: Shared
) -> None:
    _signed_in(client, shared.caregiver_user)
    assert client.get(_url(shared, "goals/")).status_code == 200
    admin = f.staff_user(organization=shared.patient.organization, role="front_desk")
    services.consent_revoke(user=admin, consent=shared.consent)
    _locked_out(client, shared)


def test_a_revoked_access_locks_the_caregiver_out_on_the_next_request(
    client: Client, shared: Shared
) -> None:
    _signed_in(client, shared.caregiver_user)
    assert client.get(_url(shared)).status_code == 200
    ot = f.staff_user(organization=shared.patient.organization, role="OT")
    services.access_revoke(user=ot, access=shared.caregiver_access)
    _locked_out(client, shared)


def test_an_expired_consent_locks_the_caregiver_out_the_day_after_its_last_day(
    client: Client, shared: Shared
) -> None:
    last_day = timezone.localdate() + dt.timedelta(days=3)
    shared.consent.expires_on = last_day
    shared.consent.save()
    late = dt.datetime.combine(last_day, dt.time(23, 58), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(late, tick=True):
        _signed_in(client, shared.caregiver_user)
        assert client.get(_url(shared, "goals/")).status_code == 200
    # Five minutes later, past midnight, in the same session: the consent's last day is over.
    with time_machine.travel(late + dt.timedelta(minutes=5), tick=True):
        _locked_out(client, shared)


def test_a_new_consent_for_the_same_caregiver_opens_the_door_again(
    client: Client, shared: Shared
) -> None:
    shared.consent.revoked_on = timezone.localdate()
    shared.consent.save()
    _signed_in(client, shared.caregiver_user)
    assert client.get(_url(shared)).status_code == 403
    sharing_consent(shared.patient, shared.contact, scopes=["goals"])
    assert client.get(_url(shared, "goals/")).status_code == 200


def test_the_patients_own_login_needs_no_consent(client: Client, shared: Shared) -> None:
    shared.consent.revoked_on = timezone.localdate()
    shared.consent.save()
    _signed_in(client, shared.patient_user)
    assert client.get(_url(shared, "goals/")).status_code == 200


def test_a_caregiver_without_any_consent_sees_nothing(client: Client, shared: Shared) -> None:
    other_contact = contact_for(shared.patient, name="Sam Neighbour")
    shared.caregiver_access.contact = other_contact
    shared.caregiver_access.consent = None
    shared.caregiver_access.save()
    _signed_in(client, shared.caregiver_user)
    _locked_out(client, shared)


@pytest.mark.parametrize("scope", ["goals", "home_program", "appointments"])
def test_scopes_hide_the_sections_the_consent_does_not_name(
    client: Client, shared: Shared, scope: str
) -> None:
    shared.consent.scopes = [
        s for s in ["goals", "home_program", "appointments", "messages"] if s != scope
    ]
    shared.consent.save()
    _signed_in(client, shared.caregiver_user)
    overview = client.get(_url(shared)).content.decode()
    assert f'href="{_url(shared, SECTIONS[scope])}"' not in overview
    for other, path in SECTIONS.items():
        if other != scope:
            assert f'href="{_url(shared, path)}"' in overview
    refused = client.get(_url(shared, SECTIONS[scope]))
    assert refused.status_code == 403
    assert "not been shared with you" in refused.content.decode()
    if scope == "home_program":
        download = client.get(_url(shared, f"home-program/{shared.document.pk}/"))
        assert download.status_code == 403


def test_the_patients_own_login_sees_every_section(client: Client, shared: Shared) -> None:
    _signed_in(client, shared.patient_user)
    overview = client.get(_url(shared)).content.decode()
    for path in SECTIONS.values():
        assert f'href="{_url(shared, path)}"' in overview


def test_staff_are_refused_the_portal_pages_of_their_own_patients(
    client: Client, shared: Shared
) -> None:
    _signed_in(client, shared.episode.therapist.user)
    for section in ["", "goals/", "home-program/", "appointments/"]:
        assert client.get(_url(shared, section)).status_code == 403
