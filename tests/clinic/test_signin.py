"""Sign-in: a clear message for wrong credentials, throttling after repeated failures, Argon2."""

import base64
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.test import Client

from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

WRONG = "That username and password do not match. Check both and try again."
LOCKED = "Too many failed sign-ins"


@pytest.fixture
def ota() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="OTA")


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_the_right_password_signs_in_and_goes_home(client: Client, ota: Any) -> None:
    response = _sign_in(client, ota.username, f.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in(client)


@pytest.mark.parametrize("which", ["password", "username"])
def test_wrong_credentials_get_one_clear_message(client: Client, ota: Any, which: str) -> None:
    username = ota.username if which == "password" else "no-such-user"
    password = "wrong-password" if which == "password" else f.PASSWORD
    response = _sign_in(client, username, password)
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not _signed_in(client)


def test_the_failure_limit_is_five() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_after_five_failures_even_the_right_password_is_refused(client: Client, ota: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert WRONG in _sign_in(client, ota.username, "wrong-password").content.decode()
    locked = _sign_in(client, ota.username, "wrong-password")
    assert locked.status_code in {403, 429}
    assert LOCKED in locked.content.decode()
    response = _sign_in(client, ota.username, f.PASSWORD)
    assert response.status_code in {403, 429}
    assert LOCKED in response.content.decode()
    assert not _signed_in(client)


def test_four_failures_do_not_lock_the_account(client: Client, ota: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, ota.username, "wrong-password")
    assert _sign_in(client, ota.username, f.PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_locked_out_username_does_not_lock_out_a_colleague(client: Client, ota: Any) -> None:
    colleague = f.staff_user(organization=ota.organization, role="OT")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, ota.username, "wrong-password")
    assert _sign_in(client, colleague.username, f.PASSWORD).status_code == 302


def test_http_basic_failures_count_toward_the_lockout(client: Client, ota: Any) -> None:
    def basic(password: str) -> str:
        return "Basic " + base64.b64encode(f"{ota.username}:{password}".encode()).decode()

    url = "/api/v1/physicians/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.get(url, HTTP_AUTHORIZATION=basic("wrong-password"))
    assert client.get(url, HTTP_AUTHORIZATION=basic(f.PASSWORD)).status_code in {401, 403, 429}


@pytest.mark.real_hashing
def test_passwords_are_stored_with_argon2(ota: Any) -> None:
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = f.UserFactory(organization=ota.organization, role="OT")
    assert user.password.startswith("argon2$argon2id$")
    assert check_password(f.PASSWORD, user.password)
    assert not check_password("wrong-password", user.password)
