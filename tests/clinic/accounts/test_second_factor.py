"""TOTP second factor: who must use it, enrolment, recovery codes, reset by a clinic admin."""

import base64
import hashlib
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.accounts.models import RecoveryCode
from otclinic.clinic.audit.models import AuditEvent
from tests.clinic import factories as f
from tests.clinic.accounts.helpers import (
    code_now,
    enrolled,
    organization,
    recovery_codes,
    sign_in,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "asked"), [("biller", True), ("clinic_admin", True), ("OT", False)]
)
def test_the_default_policy_asks_admins_and_billers_for_a_second_factor(
    client: Client, role: str, asked: bool
) -> None:
    user = f.staff_user(organization=organization(), role=role)
    sign_in(client, user)
    home = client.get("/")
    if asked:
        assert home.status_code == 302
        assert home["Location"].startswith("/login/verify/")
    else:
        assert home.status_code == 200


def test_the_organization_decides_which_roles_must_use_it(client: Client) -> None:
    user = f.staff_user(organization=organization(roles=["OT"]), role="OT")
    biller = f.staff_user(organization=user.organization, role="biller")
    sign_in(client, user)
    assert client.get("/").status_code == 302
    other = Client()
    sign_in(other, biller)
    assert other.get("/").status_code == 200


def test_a_required_user_without_an_app_is_sent_to_enrol_and_nowhere_else(client: Client) -> None:
    biller = f.staff_user(organization=organization(), role="biller")
    sign_in(client, biller)
    verify = client.get("/login/verify/?next=/billing/claims/")
    assert verify.status_code == 302
    assert verify["Location"].startswith("/account/two-factor/")
    page = client.get(verify["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert client.get("/patients/").status_code == 302
    api = client.get("/api/v1/patients/")
    assert api.status_code == 401
    htmx = client.get("/patients/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == "/login/verify/"


def test_enrolment_with_the_apps_code_opens_the_session_and_shows_recovery_codes_once(
    client: Client,
) -> None:
    biller = f.staff_user(organization=organization(), role="biller")
    sign_in(client, biller)
    client.get("/account/two-factor/")
    device = biller.totpdevice_set.get(confirmed=False)
    wrong = client.post("/account/two-factor/", {"code": "000000"})
    assert wrong.status_code == 422
    assert "Code from the app: That code does not match" in wrong.content.decode()
    shown = client.post("/account/two-factor/", {"code": code_now(device)})
    assert shown.status_code == 200
    codes = list(shown.context["codes"])
    assert len(codes) == 10
    assert all(c in shown.content.decode() for c in codes)
    assert client.get("/").status_code == 200
    stored = set(RecoveryCode.objects.filter(user=biller).values_list("digest", flat=True))
    assert not any(c in stored for c in codes)
    assert hashlib.sha256(codes[0].replace("-", "").encode()).hexdigest() in stored
    assert AuditEvent.objects.filter(
        object_type="accounts.second_factor", object_id=str(biller.pk), action="create"
    ).exists()


def test_an_enrolled_user_signs_in_with_the_apps_code(client: Client) -> None:
    admin = f.staff_user(organization=organization(), role="clinic_admin")
    device = enrolled(admin)
    sign_in(client, admin, next_url="/patients/")
    page = client.get("/login/verify/?next=/patients/")
    assert page.status_code == 200
    done = client.post("/login/verify/", {"code": code_now(device), "next": "/patients/"})
    assert done.status_code == 302
    assert done["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_an_enrolled_user_is_asked_even_when_the_role_is_not_required(client: Client) -> None:
    ot = f.staff_user(organization=organization(roles=[]), role="OT")
    enrolled(ot)
    sign_in(client, ot)
    assert client.get("/").status_code == 302


def test_the_same_app_code_does_not_sign_in_twice(client: Client) -> None:
    admin = f.staff_user(organization=organization(), role="clinic_admin")
    device = enrolled(admin)
    code = code_now(device)
    sign_in(client, admin)
    assert client.post("/login/verify/", {"code": code}).status_code == 302
    again = Client()
    sign_in(again, admin)
    assert again.post("/login/verify/", {"code": code}).status_code == 422


def test_each_recovery_code_signs_in_once(client: Client) -> None:
    biller = f.staff_user(organization=organization(), role="biller")
    enrolled(biller)
    codes = recovery_codes(biller)
    sign_in(client, biller)
    used = client.post("/login/verify/", {"code": codes[3].lower()})
    assert used.status_code == 302
    assert client.get("/").status_code == 200
    again = Client()
    sign_in(again, biller)
    refused = again.post("/login/verify/", {"code": codes[3]})
    assert refused.status_code == 422
    assert "has been used" in refused.content.decode()
    assert again.post("/login/verify/", {"code": codes[4]}).status_code == 302


def test_guessing_codes_is_throttled_per_user(client: Client, settings: Any) -> None:
    settings.OTCLINIC_THROTTLE_RATES = {**settings.OTCLINIC_THROTTLE_RATES, "second_factor": "3/5m"}
    biller = f.staff_user(organization=organization(), role="biller")
    enrolled(biller)
    sign_in(client, biller)
    statuses = [client.post("/login/verify/", {"code": "AAAA-AAAA"}).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]


def test_a_clinic_admin_resets_a_lost_phone_and_the_reset_is_audited(client: Client) -> None:
    org = organization(roles=[])
    admin = f.staff_user(organization=org, role="clinic_admin")
    biller = f.staff_user(organization=org, role="biller")
    enrolled(biller)
    recovery_codes(biller)
    client.force_login(admin)
    page = client.get("/account/sign-in-policy/")
    assert "Enrolled" in page.content.decode()
    done = client.post(f"/account/users/{biller.pk}/two-factor/reset/")
    assert done.status_code == 302
    assert not biller.totpdevice_set.exists()
    assert not RecoveryCode.objects.filter(user=biller).exists()
    entry = AuditEvent.objects.get(
        object_type="accounts.second_factor", object_id=str(biller.pk), action="delete"
    )
    assert entry.actor_id == admin.pk


def test_another_organizations_user_cannot_be_reset(client: Client) -> None:
    admin = f.staff_user(organization=organization(roles=[]), role="clinic_admin")
    stranger = f.staff_user(organization=organization(roles=[]), role="biller")
    enrolled(stranger)
    client.force_login(admin)
    assert client.post(f"/account/users/{stranger.pk}/two-factor/reset/").status_code == 404
    assert stranger.totpdevice_set.exists()


def test_only_a_clinic_admin_sets_the_policy(client: Client) -> None:
    ot = f.staff_user(organization=organization(roles=[]), role="OT")
    client.force_login(ot)
    assert client.get("/account/sign-in-policy/").status_code == 403


def test_the_policy_page_saves_roles_and_idle_minutes_and_names_a_bad_field(
    client: Client,
) -> None:
    org = organization(roles=[])
    admin = f.staff_user(organization=org, role="clinic_admin")
    client.force_login(admin)
    bad = client.post(
        "/account/sign-in-policy/", {"second_factor_roles": ["biller"], "idle_timeout_minutes": 0}
    )
    assert bad.status_code == 422
    assert "automatic sign-out after (minutes idle)" in bad.content.decode().lower()
    org.refresh_from_db()
    assert org.second_factor_roles == []
    ok = client.post(
        "/account/sign-in-policy/",
        {"second_factor_roles": ["biller", "OT"], "idle_timeout_minutes": 10},
    )
    assert ok.status_code == 302
    org.refresh_from_db()
    assert org.second_factor_roles == ["biller", "OT"]
    assert org.idle_timeout_minutes == 10


def test_http_basic_is_refused_for_an_account_with_a_second_factor(client: Client) -> None:
    biller = f.staff_user(organization=organization(), role="biller")
    token = base64.b64encode(f"{biller.username}:{f.PASSWORD}".encode()).decode()
    response = client.get("/api/v1/patients/", headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]
