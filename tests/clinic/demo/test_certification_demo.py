"""The demo clinic's certification follow-up: requests for the plans sent, reminders, a refusal."""

import pytest
from django.utils import timezone

from otclinic.clinic.care.models import CertificationReminder, CertificationRequest, PlanOfCare
from otclinic.clinic.demo.certification import SAMPLE_PERCENT, add_certification_followup
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.staff.models import StaffProfile

pytestmark = pytest.mark.django_db


def test_the_demo_plans_have_their_requests_and_a_second_run_adds_nothing() -> None:
    seed_demo(scale=1, patients_per_scale=12, months=1)
    org_id = StaffProfile.objects.get(user__username="ot.demo").organization_id
    today = timezone.localdate()
    sent = PlanOfCare.objects.filter(
        organization_id=org_id, version=1, sent_to_physician_on__isnull=False
    )
    requests = CertificationRequest.objects.filter(organization_id=org_id)
    assert requests.count() == sent.count() > 0
    for request in requests.select_related("plan"):
        assert (request.status == "signed") is (request.plan.certified_on is not None)
    assert requests.filter(status="refused").count() <= 1
    for reminder in CertificationReminder.objects.filter(organization_id=org_id):
        assert reminder.sent_on < today
        assert reminder.request.sent_on < reminder.sent_on <= reminder.request.deadline
    clinics = Clinic.objects.filter(organization_id=org_id).order_by("name")
    assert clinics[0].cosign_sample_percent == SAMPLE_PERCENT
    rows = requests.count() + CertificationReminder.objects.count()
    assert add_certification_followup(org_id, today) == 0
    seed_demo(scale=1, patients_per_scale=12, months=1)
    assert requests.count() + CertificationReminder.objects.count() == rows
