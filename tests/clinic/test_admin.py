"""The Django admin lets a clinic admin manage their own organization, and nothing else."""

import pytest
from django.test import Client

from otclinic.clinic.payers.models import Payer
from tests.clinic.factories import (
    ClinicFactory,
    OrganizationFactory,
    PayerFactory,
    StaffProfileFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_clinic_admin_sees_only_their_organizations_payers() -> None:
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    PayerFactory(organization=mine, name="Our Medicare")
    other = PayerFactory(organization=theirs, name="Their Medicare")
    client = _signed_in(staff_user(organization=mine, role="clinic_admin"))
    page = client.get("/admin/payers/payer/")
    assert page.status_code == 200
    assert b"Our Medicare" in page.content
    assert b"Their Medicare" not in page.content
    assert client.get(f"/admin/payers/payer/{other.pk}/change/").status_code in {302, 404}


def test_a_payer_added_in_the_admin_belongs_to_the_admins_organization() -> None:
    org = OrganizationFactory()
    client = _signed_in(staff_user(organization=org, role="clinic_admin"))
    response = client.post(
        "/admin/payers/payer/add/",
        {
            "name": "Buckeye Health",
            "payer_id": "BCK01",
            "plan_kind": "commercial",
            "timely_filing_days": 180,
            "claim_filing_indicator": "CI",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Payer.objects.get(payer_id="BCK01").organization == org


def test_choice_lists_offer_only_the_organizations_rows() -> None:
    org = OrganizationFactory()
    ClinicFactory(organization=org, name="Our Clinic")
    ClinicFactory(name="Someone Else's Clinic")
    admin = staff_user(organization=org, role="clinic_admin")
    profile = StaffProfileFactory(user__organization=org, user__role="OT")
    page = _signed_in(admin).get(f"/admin/staff/staffprofile/{profile.pk}/change/")
    assert b"Our Clinic" in page.content
    assert b"Someone Else" not in page.content


@pytest.mark.parametrize("role", ["OT", "OTA", "biller", "front_desk", "patient"])
def test_other_roles_cannot_enter_the_admin(role: str) -> None:
    client = _signed_in(staff_user(organization=OrganizationFactory(), role=role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
