"""Sign-in's opt-in "remember me on this device": the username only, never the password."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.web.sign_in import REMEMBER_COOKIE
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ota() -> Any:
    return f.staff_user(organization=f.OrganizationFactory(), role="OTA")


def _sign_in(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_ticking_remember_keeps_the_username_for_the_next_sign_in(client: Client, ota: Any) -> None:
    response = _sign_in(client, ota.username, f.PASSWORD, remember="on")
    cookie = response.cookies[REMEMBER_COOKIE]
    assert cookie.value == ota.username
    assert cookie["httponly"]
    assert f.PASSWORD not in str(response.cookies)
    client.post("/logout/")
    page = client.get("/login/").content.decode()
    assert f'value="{ota.username}"' in page
    assert 'name="remember" aria-describedby="remember-help" id="id_remember" checked' in page
    assert 'autocomplete="current-password" autofocus' in page


def test_without_remember_nothing_is_kept(client: Client, ota: Any) -> None:
    response = _sign_in(client, ota.username, f.PASSWORD)
    assert response.cookies[REMEMBER_COOKIE].value == ""  # forgotten (deleted)
    client.post("/logout/")
    page = client.get("/login/").content.decode()
    assert ota.username not in page


def test_unticking_it_at_a_sign_in_forgets_the_username(client: Client, ota: Any) -> None:
    client.cookies[REMEMBER_COOKIE] = ota.username
    response = _sign_in(client, ota.username, f.PASSWORD)
    assert response.cookies[REMEMBER_COOKIE]["max-age"] == 0


def test_a_failed_sign_in_remembers_nothing(client: Client, ota: Any) -> None:
    response = _sign_in(client, ota.username, "wrong-password", remember="on")
    assert REMEMBER_COOKIE not in response.cookies
