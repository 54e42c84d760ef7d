"""The demo clinic's hiring: one OTA posting, four applicants at four stages, added once."""

import datetime as dt

import pytest
import time_machine

from otclinic.clinic.demo.hiring import TITLE, add_hiring
from otclinic.clinic.hiring.adapters import applicant_checks
from otclinic.clinic.hiring.models import Applicant, JobPosting
from otclinic.domain.hiring.checklist import hire_blockers, offer_blockers
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)
ORDER = ["applied", "screened", "interviewed", "offered"]


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 11, 27, 15, tzinfo=dt.UTC)):
        yield


def test_the_demo_posting_is_added_once_with_applicants_at_four_stages() -> None:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org, state="OH")
    f.staff_user(organization=org, role="clinic_admin")
    added = add_hiring(org.id, TODAY)
    assert added > 0
    assert add_hiring(org.id, TODAY) == 0
    posting = JobPosting.objects.get(organization=org)
    assert (posting.title, posting.role, posting.status) == (TITLE, "OTA", "open")
    stages = dict(Applicant.objects.filter(posting=posting).values_list("last_name", "stage"))
    assert stages == {
        "Whitfield": "applied",
        "Marlowe": "screened",
        "Ashby": "interviewed",
        "Dunmore": "offered",
    }
    for applicant in Applicant.objects.filter(posting=posting):
        assert applicant.nbcot_number.startswith("DEMO-")
        assert applicant.email.endswith("@example.org")
        moves = list(applicant.moves.values_list("to_stage", flat=True))
        assert moves == ORDER[: ORDER.index(applicant.stage) + 1]


def test_the_interviewed_demo_applicant_is_ready_for_an_offer_and_the_offered_one_to_hire() -> None:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org, state="OH")
    f.staff_user(organization=org, role="clinic_admin")
    add_hiring(org.id, TODAY)
    ready = Applicant.objects.get(last_name="Ashby")
    assert offer_blockers(applicant_checks(ready, on=TODAY), on=TODAY) == ()
    offered = Applicant.objects.get(last_name="Dunmore")
    assert hire_blockers(applicant_checks(offered, on=TODAY), on=TODAY) == ()
    waiting = Applicant.objects.get(last_name="Marlowe")
    assert offer_blockers(applicant_checks(waiting, on=TODAY), on=TODAY) != ()


def test_no_clinic_admin_means_no_demo_hiring() -> None:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    assert add_hiring(org.id, TODAY) == 0
