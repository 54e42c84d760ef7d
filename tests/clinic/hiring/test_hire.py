"""The hire: one user, one staff profile, the verified licenses, once; the invitation works."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.hiring import services_checks
from otclinic.clinic.hiring.hire import applicant_hire
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from tests.clinic.hiring.builders import EXPIRES, before_hire_done, offered, practice

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)
SITE = "https://clinic.example"


@pytest.fixture(autouse=True)
def _today(settings: Any) -> object:
    settings.SITE_URL = SITE
    with time_machine.travel(dt.datetime(2026, 11, 27, 15, tzinfo=dt.UTC)):
        yield


def _hire(p: Any, applicant: Any, username: str = "avery.sample") -> StaffProfile:
    return applicant_hire(user=p.admin, applicant=applicant, username=username)


def test_the_hire_creates_the_user_the_profile_and_the_licenses(
    django_capture_on_commit_callbacks: Any,
) -> None:
    p = practice()
    applicant = offered(p, on=TODAY, license_state="OH")
    services_checks.license_claim(user=p.admin, applicant=applicant, state="KY", number="TEST-KY-7")
    services_checks.license_lookup_record(
        user=p.admin,
        applicant=applicant,
        license=applicant.licenses.get(state="KY"),
        result="active",
        expires_on=dt.date(2028, 1, 31),
        source="Kentucky board lookup",
        looked_up_on=TODAY,
    )
    before_hire_done(p, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        staff = _hire(p, applicant)
    user = staff.user
    assert (user.username, user.role, user.organization, user.email) == (
        "avery.sample",
        "OTA",
        p.org,
        "avery.sample@example.org",
    )
    assert not user.has_usable_password()
    assert (staff.nbcot_credential, staff.nbcot_number, staff.nbcot_expires_on) == (
        "COTA",
        "TEST-COTA-0001",
        EXPIRES,
    )
    assert staff.credentials == "COTA/L"
    assert list(staff.clinics.all()) == [p.posting.clinic]
    assert sorted(staff.licenses.values_list("state", "number", "expires_on")) == [
        ("KY", "TEST-KY-7", dt.date(2028, 1, 31)),
        ("OH", "TEST-OTA-1", EXPIRES),
    ]
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.staff_profile) == ("hired", staff)
    assert applicant.moves.last().to_stage == "hired"
    assert mail.outbox == []  # the invitation leaves in a background job
    assert run_queued_tasks() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["avery.sample@example.org"]


def test_hiring_twice_is_refused_and_creates_nothing_more() -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    before_hire_done(p, applicant)
    _hire(p, applicant)
    counts = (User.objects.count(), StaffProfile.objects.count(), StateLicense.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        _hire(p, applicant, username="another.name")
    assert refused.value.errors["stage"] == ["Already hired on 2026-11-27 as avery.sample."]
    assert (
        User.objects.count(),
        StaffProfile.objects.count(),
        StateLicense.objects.count(),
    ) == counts


def test_the_hire_waits_for_the_onboarding_before_hire() -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        _hire(p, applicant)
    assert refused.value.errors == {
        "onboarding": ["Onboarding to finish before the hire: Background check."]
    }
    assert not User.objects.filter(username="avery.sample").exists()


def test_a_license_that_lapsed_after_the_offer_refuses_the_hire() -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    before_hire_done(p, applicant)
    later = time_machine.travel(dt.datetime(2027, 10, 1, 15, tzinfo=dt.UTC))
    with later, pytest.raises(ValidationFailed) as refused:
        _hire(p, applicant)
    assert refused.value.errors["licenses"] == [
        "The OH license TEST-OTA-1 expired on 2027-09-30 (today is 2027-10-01)."
    ]
    assert "nbcot" in refused.value.errors
    assert not StaffProfile.objects.filter(hired_from=applicant).exists()


def test_the_hire_needs_an_offer() -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    applicant.stage = "interviewed"
    applicant.save()
    with pytest.raises(ValidationFailed) as refused:
        _hire(p, applicant)
    assert "not to hired" in refused.value.errors["stage"][0]


@pytest.mark.parametrize(
    ("username", "message"), [("", "Choose a username"), ("taken", "is taken")]
)
def test_a_missing_or_taken_username_is_refused_and_nothing_is_written(
    username: str, message: str
) -> None:
    p = practice()
    p.admin.username = "taken"
    p.admin.save()
    applicant = offered(p, on=TODAY)
    before_hire_done(p, applicant)
    users = User.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        _hire(p, applicant, username=username)
    assert message in refused.value.errors["username"][0]
    assert User.objects.count() == users
    applicant.refresh_from_db()
    assert applicant.stage == "offered"


def test_the_invitation_link_sets_the_password_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    before_hire_done(p, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        staff = _hire(p, applicant)
    run_queued_tasks()
    link = re.search(r"https://clinic\.example(/welcome/\?\S+)", mail.outbox[0].body)
    assert link is not None
    landing = client.get(link.group(1))
    assert landing.status_code == 302 and landing["Location"] == "/welcome/"
    page = client.get("/welcome/")
    assert "avery.sample" in page.content.decode()
    new = {"new_password1": "a long synthetic pass 42", "new_password2": "a long synthetic pass 42"}
    done = client.post("/welcome/", new)
    assert done.status_code == 302 and done["Location"] == "/"  # signed in, at home
    staff.user.refresh_from_db()
    assert staff.user.check_password("a long synthetic pass 42")
    client.logout()
    client.get(link.group(1))
    assert b"already been used" in client.get("/welcome/").content


def test_a_forged_invitation_link_is_not_valid(client: Client) -> None:
    client.get("/welcome/?t=abc-123")
    page = client.get("/welcome/")
    assert page.status_code == 200
    assert b"not valid" in page.content


def test_a_new_invitation_is_sent_until_the_password_is_set(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    before_hire_done(p, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        staff = _hire(p, applicant)
    client.force_login(p.admin)
    url = f"/hiring/applicants/{applicant.pk}/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    run_queued_tasks()
    assert len(mail.outbox) == 2
    staff.user.set_password("a long synthetic pass 42")
    staff.user.save()
    refused = client.post(url)
    assert refused.status_code == 422
    assert "avery.sample has already set a password." in refused.content.decode()
    run_queued_tasks()
    assert len(mail.outbox) == 2
