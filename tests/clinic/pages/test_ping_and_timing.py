"""The benchmark's baseline page and the Server-Timing header."""

import re
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.common.timing import ServerTimingMiddleware
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

TIMING = "otclinic.clinic.common.timing.ServerTimingMiddleware"


def test_ping_renders_the_layout_for_a_signed_in_user_and_nothing_else(client: Client) -> None:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    client.force_login(user)
    response = client.get("/ping/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Signed in</h1>" in body
    assert 'aria-label="Main"' in body  # the navigation of the layout


def test_ping_shows_a_portal_user_no_record_and_takes_no_post(client: Client) -> None:
    access = f.PortalAccessFactory()
    client.force_login(access.user)
    response = client.get("/ping/")
    assert response.status_code == 200
    assert access.patient.last_name not in response.content.decode()
    assert client.post("/ping/").status_code == 405


def test_ping_sends_a_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/ping/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_timing_header_is_off_unless_asked_for(client: Client) -> None:
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="OT"))
    assert "Server-Timing" not in client.get("/ping/").headers


def test_the_timing_header_gives_time_cpu_and_the_number_of_queries(
    client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="OT"))
    with django_assert_num_queries(2):  # the session and the user
        response = client.get("/ping/")
    timing = response["Server-Timing"]
    assert re.fullmatch(r'app;dur=[\d.]+, cpu;dur=[\d.]+, db;desc="2 queries"', timing), timing


def test_the_timing_middleware_counts_nothing_it_did_not_run() -> None:
    from django.http import HttpResponse

    response = ServerTimingMiddleware(lambda request: HttpResponse("ok"))(None)  # type: ignore[arg-type]
    assert response["Server-Timing"].endswith('db;desc="0 queries"')
