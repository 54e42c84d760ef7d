"""Production signs id_tokens only with a key of its own: without one, openid is off unless
asked for, and asked for it refuses to start; `check --deploy` refuses a key that cannot sign.

Each case runs in a fresh interpreter with a production environment (DEBUG off)."""

import subprocess
import sys
from pathlib import Path

from jwcrypto import jwk

from tests.servers import clean_environment

SECRET = "x" * 20 + "-production-key-from-the-environment-0123456789"
SHOW = "import otclinic.config.settings as s; print(s.OAUTH2_PROVIDER['OIDC_ENABLED'])"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=clean_environment(DEBUG="0", SECRET_KEY=SECRET, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from otclinic.cli import main; sys.exit(main())"
    return _run("-c", code, "manage", "check", "--deploy", "--fail-level", "DEBUG", **env)


def _key_file(tmp_path: Path, key: jwk.JWK) -> str:
    path = tmp_path / "oidc.pem"
    path.write_bytes(key.export_to_pem(private_key=True, password=None))
    return str(path)


def test_production_without_a_key_offers_no_openid() -> None:
    result = _run("-c", SHOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_production_asked_for_openid_without_a_key_refuses_to_start() -> None:
    result = _run("-c", SHOW, SMART_OPENID="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SMART_OIDC_PRIVATE_KEY is not set" in result.stderr


def test_production_with_a_key_file_offers_openid_and_check_deploy_is_clean(
    tmp_path: Path,
) -> None:
    key_file = _key_file(tmp_path, jwk.JWK.generate(kty="RSA", size=2048))
    shown = _run("-c", SHOW, SMART_OIDC_PRIVATE_KEY_FILE=key_file)
    assert shown.stdout.split() == ["True"], shown.stderr
    result = _check_deploy(SMART_OIDC_PRIVATE_KEY_FILE=key_file)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)" in result.stdout


def test_check_deploy_refuses_a_key_that_cannot_sign_id_tokens(tmp_path: Path) -> None:
    key_file = _key_file(tmp_path, jwk.JWK.generate(kty="EC", crv="P-256"))
    result = _check_deploy(SMART_OIDC_PRIVATE_KEY_FILE=key_file)
    assert result.returncode != 0
    assert "smart.E001" in result.stdout + result.stderr
    assert "not an RSA private key" in result.stdout + result.stderr
