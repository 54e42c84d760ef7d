"""The demo clinic's certificates and continuing education: present, expiring soon, added once."""

import datetime as dt

import pytest
from django.utils import timezone

from otclinic.clinic.demo.credentials import EXPIRING_SOON_DAYS, add_credentials
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.staff.models import CeActivity, CeRequirement, Certificate, StaffProfile
from otclinic.clinic.staff.selectors import staff_overview

pytestmark = pytest.mark.django_db


def test_the_demo_clinicians_hold_cpr_cards_and_the_demo_ota_s_expires_soon() -> None:
    result = seed_demo(scale=1, patients_per_scale=2, months=1)
    org_id = StaffProfile.objects.get(user__username="ota.demo").organization_id
    today = timezone.localdate()
    clinicians = StaffProfile.objects.filter(
        organization_id=org_id, user__role__in=["OT", "OTA", "PT", "SLP"]
    )
    assert result.created
    assert Certificate.objects.filter(organization_id=org_id).count() == clinicians.count()
    ota_card = Certificate.objects.get(staff__user__username="ota.demo")
    assert ota_card.expires_on == today + dt.timedelta(days=EXPIRING_SOON_DAYS)
    assert set(CeRequirement.objects.filter(organization_id=org_id).values_list(
        "counts_toward", flat=True)) == {"OH", "NBCOT"}  # fmt: skip
    assert CeActivity.objects.filter(organization_id=org_id).count() == 6
    overview = staff_overview(staff=ota_card.staff, today=today)
    assert any(line.label == "CPR/BLS certificate" and line.status.state == "expiring"
               for line in overview.credentials)  # fmt: skip
    assert add_credentials(org_id, today) == 0  # a second run adds nothing
    seed_demo(scale=1, patients_per_scale=2, months=1)
    assert Certificate.objects.filter(organization_id=org_id).count() == clinicians.count()
