"""Invitations: one link per new login, stored hashed, single-use, expiring, replaced by a new one."""

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from otclinic.clinic.accounts.invitations import invitation_issue
from otclinic.clinic.accounts.models import Invitation, OutboundEmail, User
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from tests.clinic import factories as f
from tests.clinic.mail import emails_sent

pytestmark = pytest.mark.django_db
PASSWORD = "Marigold-Ladder-92"
PAGE = "/welcome/"


@pytest.fixture
def admin() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")


@pytest.fixture
def newcomer(admin: Any) -> User:
    user = f.staff_user(organization=admin.organization, role="OTA")
    user.email = "new.ota@example.org"
    user.set_unusable_password()
    user.save()
    return user


def _invite(admin: Any, user: User) -> str:
    """Invite `user`; the link's path, from the email the worker sent."""
    before = len(mail.outbox)
    with emails_sent():
        invitation_issue(by=admin, user=user)
    assert len(mail.outbox) == before + 1
    found = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def _open(client: Client, link: str) -> str:
    landing = client.get(link)
    assert landing.status_code == 302 and landing["Location"] == PAGE
    return client.get(PAGE).content.decode()


def _set(client: Client, password: str = PASSWORD) -> Any:
    return client.post(PAGE, {"new_password1": password, "new_password2": password})


def test_the_link_sets_the_password_and_signs_the_new_member_of_staff_in(
    client: Client, admin: Any, newcomer: User
) -> None:
    link = _invite(admin, newcomer)
    assert mail.outbox[-1].to == ["new.ota@example.org"]
    assert mail.outbox[-1].subject == "Set your otclinic password"
    page = _open(client, link)
    assert newcomer.username in page
    assert link.split("t=", 1)[1] not in page  # the token left the address bar
    done = _set(client)
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    newcomer.refresh_from_db()
    assert newcomer.check_password(PASSWORD)
    assert Invitation.objects.get(user=newcomer).used_at is not None


def test_only_a_digest_of_the_token_is_stored(admin: Any, newcomer: User) -> None:
    token = _invite(admin, newcomer).split("t=", 1)[1]
    invitation = Invitation.objects.get(user=newcomer)
    assert invitation.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.digest
    # Nor does the email keep the link once it is sent.
    assert OutboundEmail.objects.get().body == ""


@pytest.mark.parametrize(
    ("password", "field", "message"),
    [
        ("password", "new_password2", "This password is too common."),
        ("x7!", "new_password2", "This password is too short."),
    ],
)
def test_a_weak_password_is_refused_on_its_field_and_the_link_still_works(
    client: Client, admin: Any, newcomer: User, password: str, field: str, message: str
) -> None:
    _open(client, _invite(admin, newcomer))
    refused = _set(client, password)
    assert refused.status_code == 422
    assert message in refused.context["form"].errors[field][0]
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert Invitation.objects.get(user=newcomer).used_at is None
    assert _set(client).status_code == 302


def test_two_different_passwords_are_named(client: Client, admin: Any, newcomer: User) -> None:
    _open(client, _invite(admin, newcomer))
    refused = client.post(PAGE, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert refused.status_code == 422
    assert "The two password fields" in refused.context["form"].errors["new_password2"][0]


def test_a_used_link_is_refused_with_a_plain_message(
    client: Client, admin: Any, newcomer: User
) -> None:
    link = _invite(admin, newcomer)
    _open(client, link)
    _set(client)
    client.logout()
    page = _open(client, link)
    assert "already been used" in page and 'name="new_password1"' not in page
    assert _set(client, "Another-Passphrase-77").status_code == 200  # the refusal, again
    newcomer.refresh_from_db()
    assert newcomer.check_password(PASSWORD)


def test_inviting_again_ends_the_earlier_link(client: Client, admin: Any, newcomer: User) -> None:
    first = _invite(admin, newcomer)
    second = _invite(admin, newcomer)
    assert "A newer invitation was sent" in _open(client, first)
    assert _set(client).status_code == 200
    _open(client, second)
    assert _set(client).status_code == 302
    assert Invitation.objects.filter(user=newcomer).count() == 2


def test_an_expired_link_offers_a_new_one_sent_to_the_address_on_file(
    client: Client, admin: Any, newcomer: User, settings: Any
) -> None:
    link = _invite(admin, newcomer)
    # From the suite's clock (the root conftest's travel), a minute past the link's lifetime.
    later = timezone.now() + dt.timedelta(days=settings.OTCLINIC_INVITATION_DAYS, minutes=1)
    with time_machine.travel(later):
        page = _open(client, link)
        assert "has expired" in page and "Email me a new link" in page
        assert _set(client).status_code == 200  # no password from an expired link
        with emails_sent():
            renewed = client.post("/welcome/new-link/")
        assert "A new link is on its way" in renewed.content.decode()
        assert mail.outbox[-1].to == ["new.ota@example.org"]
        fresh = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
        assert fresh is not None
        _open(client, fresh.group(1))
        assert _set(client).status_code == 302
    assert len(mail.outbox) == 2


def test_a_new_link_is_not_offered_for_a_used_or_unknown_link(
    client: Client, admin: Any, newcomer: User
) -> None:
    client.get("/welcome/?t=forged-token")
    with emails_sent():
        refused = client.post("/welcome/new-link/")
    assert "not valid" in refused.content.decode()
    link = _invite(admin, newcomer)
    _open(client, link)
    _set(client)
    client.logout()
    _open(client, link)
    with emails_sent():
        refused = client.post("/welcome/new-link/")
    assert "already been used" in refused.content.decode()
    assert len(mail.outbox) == 1


def test_another_organizations_login_is_answered_as_one_that_does_not_exist(
    newcomer: User,
) -> None:
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    with pytest.raises(NotFoundForUser):
        invitation_issue(by=stranger, user=newcomer)
    assert not Invitation.objects.exists() and not OutboundEmail.objects.exists()


def test_a_login_with_a_password_is_not_invited(admin: Any, newcomer: User) -> None:
    newcomer.set_password(PASSWORD)
    newcomer.save()
    with pytest.raises(ValidationFailed) as refused:
        invitation_issue(by=admin, user=newcomer)
    assert refused.value.errors["user"] == [f"{newcomer.username} has already set a password."]
    assert not Invitation.objects.exists()


def test_an_invitation_rolled_back_with_its_write_sends_nothing(admin: Any, newcomer: User) -> None:
    def refused_hire() -> None:
        with transaction.atomic():
            invitation_issue(by=admin, user=newcomer)
            raise RuntimeError("the hire was refused")

    with emails_sent(), pytest.raises(RuntimeError):
        refused_hire()
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_a_portal_user_is_sent_to_the_portal(client: Client, admin: Any) -> None:
    login = User(
        username="pat@example.org",
        email="pat@example.org",
        organization=admin.organization,
        role="patient",
    )
    login.set_unusable_password()
    login.save()
    link = _invite(admin, login)
    assert mail.outbox[-1].subject == "Your patient portal invitation"
    _open(client, link)
    assert _set(client)["Location"] == "/portal/"


def test_a_login_without_an_email_address_is_refused_on_that_field(
    admin: Any, newcomer: User
) -> None:
    newcomer.email = ""
    newcomer.save()
    with pytest.raises(ValidationFailed) as refused:
        invitation_issue(by=admin, user=newcomer)
    assert refused.value.errors["email"] == [f"{newcomer.username} has no email address to invite."]
    assert not Invitation.objects.exists()
