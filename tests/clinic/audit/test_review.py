"""The audit review page: a clinic admin finds who saw or changed a patient's record."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.reads import saw
from tests import clock
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")


@pytest.fixture
def admin_client(client: Client, admin: Any) -> Client:
    client.force_login(admin)
    return client


def _open_chart(user: Any, patient: Any) -> None:
    reader = Client()
    reader.force_login(user)
    assert reader.get(f"/patients/{patient.pk}/").status_code == 200


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_an_admin_finds_who_opened_a_patients_chart_by_mrn(
    admin_client: Client, admin: Any
) -> None:
    org = admin.organization
    patient, other = f.PatientFactory(organization=org), f.PatientFactory(organization=org)
    ot = f.staff_user(organization=org, role="OT")
    ot.first_name, ot.last_name = "Olive", "Reader"
    ot.save()
    _open_chart(ot, patient)
    _open_chart(f.staff_user(organization=org, role="biller"), other)
    page = admin_client.get("/audit/", {"q": patient.mrn, "action": "read"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Olive Reader" in body
    assert "1 entry" in body
    assert f"MRN {patient.mrn}" in body
    assert f'<option value="{ot.pk}">Olive Reader (' in body  # the "Who" filter


def test_changes_to_a_patients_record_are_found_with_their_reads(
    admin_client: Client, admin: Any
) -> None:
    patient = f.PatientFactory(organization=admin.organization)  # a CREATE entry
    _open_chart(f.staff_user(organization=admin.organization, role="OT"), patient)
    rows = _csv(admin_client.get("/audit/export.csv", {"patient": str(patient.pk)}))
    assert sorted(r["action"] for r in rows) == ["Created", "Saw"]
    assert all(str(patient.pk) in r["patients"] for r in rows)


def test_a_name_that_matches_several_patients_offers_a_choice(
    admin_client: Client, admin: Any
) -> None:
    a = f.PatientFactory(organization=admin.organization, last_name="Twinning")
    b = f.PatientFactory(organization=admin.organization, last_name="Twinning")
    body = admin_client.get("/audit/", {"q": "Twinning"}).content.decode()
    assert "2 patients match" in body
    assert f"?patient={a.pk}" in body and f"?patient={b.pk}" in body
    assert "0 entries" in body  # no patient chosen yet: nothing listed


def test_filters_by_user_action_and_dates(admin_client: Client, admin: Any) -> None:
    org = admin.organization
    patient = f.PatientFactory(organization=org)
    ot, desk = (
        f.staff_user(organization=org, role="OT"),
        f.staff_user(organization=org, role="front_desk"),
    )
    with time_machine.travel(clock.now() - dt.timedelta(days=10)):
        _open_chart(ot, patient)
    _open_chart(ot, patient)
    _open_chart(desk, patient)
    query = {"patient": str(patient.pk), "action": "read"}

    def users(**more: str) -> list[str]:
        # Each export reads the chosen patient too: the admin's own entries are left out here.
        rows = _csv(admin_client.get("/audit/export.csv", query | more))
        return sorted(r["user"] for r in rows if r["user"] != admin.username)

    assert users() == sorted([ot.username, ot.username, desk.username])
    assert users(user=str(ot.pk)) == [ot.username, ot.username]
    today = clock.TODAY.isoformat()
    assert users(since=today, until=today) == sorted([ot.username, desk.username])
    earlier = (clock.TODAY - dt.timedelta(days=10)).isoformat()
    assert users(until=earlier) == [ot.username]
    assert users(since=today, user=str(desk.pk)) == [desk.username]


def test_a_range_that_ends_before_it_starts_is_refused_by_name(admin_client: Client) -> None:
    body = admin_client.get("/audit/", {"since": "2026-12-03", "until": "2026-12-01"}).content
    assert b"To: The end of the range is before its start." in body
    assert b"0 entries" in body


def test_the_list_is_paginated(admin_client: Client, admin: Any) -> None:
    patient = f.PatientFactory(organization=admin.organization)
    with acting_as(actor_for_user(admin)):
        for _ in range(55):
            saw([patient.pk], "statement")  # outside a request: one entry each
    first = admin_client.get("/audit/", {"patient": str(patient.pk), "action": "read"})
    body = first.content.decode()
    assert "55 entries" in body and "1 to 50 shown" in body and "Page 1 of 2" in body
    # The first page was a read of the patient by the admin: one entry more.
    second = admin_client.get(
        "/audit/", {"patient": str(patient.pk), "action": "read", "page": 2}
    ).content.decode()
    assert "51 to 56 shown" in second


def test_the_export_is_itself_audited(admin_client: Client, admin: Any) -> None:
    patient = f.PatientFactory(organization=admin.organization)
    admin_client.get("/audit/export.csv", {"patient": str(patient.pk)})
    export = AuditEvent.objects.get(object_type="audit.auditevent")
    assert export.action == AuditAction.VIEW
    assert export.actor_id == admin.pk
    assert export.organization_id == admin.organization_id
    assert export.detail == f"audit export: patient={patient.pk}"


@pytest.mark.parametrize("role", ["OT", "biller", "front_desk", "OTA", "student"])
def test_other_roles_are_refused(client: Client, role: str) -> None:
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role=role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(object_type="audit.auditevent").exists()


def test_portal_users_are_refused(client: Client) -> None:
    client.force_login(f.PortalAccessFactory().user)
    assert client.get("/audit/").status_code == 403


def test_the_nav_links_the_page_for_admins_only(admin_client: Client) -> None:
    assert 'href="/audit/"' in admin_client.get("/ping/").content.decode()
    other = Client()
    other.force_login(f.staff_user(organization=f.OrganizationFactory(), role="OT"))
    assert 'href="/audit/"' not in other.get("/ping/").content.decode()


def test_another_organizations_entries_are_never_shown(admin_client: Client, admin: Any) -> None:
    theirs = f.PatientFactory()
    _open_chart(f.staff_user(organization=theirs.organization, role="OT"), theirs)
    mine = f.PatientFactory(organization=admin.organization)
    _open_chart(f.staff_user(organization=admin.organization, role="OT"), mine)
    everything = _csv(admin_client.get("/audit/export.csv"))
    assert everything and all(str(theirs.pk) not in r["patients"] for r in everything)
    assert all(r["record id"] != str(theirs.pk) for r in everything)
    # Their patient cannot be chosen: answered like one that does not exist.
    assert admin_client.get("/audit/", {"patient": str(theirs.pk)}).status_code == 404
    body = admin_client.get("/audit/", {"q": theirs.mrn}).content.decode()
    assert "No patient matches" in body
