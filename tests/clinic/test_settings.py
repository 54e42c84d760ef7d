"""Settings come from the environment; production refuses to start without a SECRET_KEY.

Each case imports them in a fresh interpreter with a clean environment (the suite's own process
runs with tests/settings.py, which gives a key of its own).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SHOW = (
    "import otclinic.config.settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.PASSWORD_HASHERS[0].rsplit('.', 1)[-1], "
    "s.SECRET_KEY == 'from-the-environment')"
)
_DROP = {"SECRET_KEY", "SECRET_KEY_FILE", "OTCLINIC_TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE"}


def _settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in _DROP and not k.startswith("PYTEST")}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("debug", ["0", "false", ""])
def test_production_without_a_secret_key_refuses_to_start(debug: str) -> None:
    result = _settings(DEBUG=debug)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "refuses to start" in result.stderr


def test_production_with_a_secret_key_starts_with_secure_cookies_and_argon2() -> None:
    result = _settings(DEBUG="0", SECRET_KEY="from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "Argon2PasswordHasher", "True"]


def test_the_secret_key_may_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-the-environment\n")
    result = _settings(DEBUG="0", SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "True"


def test_development_starts_without_a_secret_key() -> None:
    result = _settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "False"]


def test_importing_pytest_does_not_relax_the_secret_key_check() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in _DROP and not k.startswith("PYTEST")}
    result = subprocess.run(
        [sys.executable, "-c", "import pytest; " + SHOW],
        env=clean | {"DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
