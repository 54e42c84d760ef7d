"""Response headers: CSP without inline scripts, no caching of signed-in pages and the API,
and `check --deploy` clean in production."""

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.clinic import factories as f
from tests.servers import clean_environment

SRC = Path(__file__).resolve().parents[3] / "src" / "otclinic"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=\s*["']""", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_and_eval(client: Client) -> None:
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            offenders += [
                f"{template.relative_to(SRC)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert offenders == []


@pytest.mark.django_db
def test_signed_in_pages_and_the_api_are_never_cached(client: Client) -> None:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    patient = f.PatientFactory(organization=user.organization)
    client.force_login(user)
    for url in (f"/patients/{patient.pk}/", f"/api/v1/patients/{patient.pk}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    anonymous_api = Client().get("/api/v1/patients/")
    assert "no-store" in anonymous_api["Cache-Control"]


@pytest.mark.django_db
def test_the_api_is_throttled_per_user(client: Client, settings: Any) -> None:
    settings.OTCLINIC_THROTTLE_RATES = {**settings.OTCLINIC_THROTTLE_RATES, "api": "3/m"}
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="OT"))
    statuses = [client.get("/api/v1/patients/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from otclinic.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, "manage", *args],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_in_production() -> None:
    secret = "x" * 20 + "-production-key-from-the-environment-0123456789"
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", DEBUG="0", SECRET_KEY=secret)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)" in result.stdout


def test_production_sends_hsts_and_redirects_to_https() -> None:
    code = (
        "import otclinic.config.settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    env = clean_environment(DEBUG="0", SECRET_KEY="from-the-environment")
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == ["True", "31536000", "True"], result.stderr
