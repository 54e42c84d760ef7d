"""Production settings from the environment: the proxy headers, persistent connections, the
file storage, logging to standard output. Each case imports the settings in a fresh
interpreter with a clean environment (the suite's own process runs with tests/settings.py)."""

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.servers import clean_environment

SHOW = """
import json, otclinic.config.settings as s
print(json.dumps({
    "proxy": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "forwarded_host": s.USE_X_FORWARDED_HOST,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "conn_max_age": s.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": s.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "storage": s.STORAGES["default"],
    "static": s.STORAGES["staticfiles"]["BACKEND"].rsplit(".", 1)[-1],
    "finders": s.WHITENOISE_USE_FINDERS,
    "stream": s.LOGGING["handlers"]["console"]["stream"],
    "web": s.WEB_SERVER,
}))
"""
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "from-the-environment"}


def _settings(**env: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def _refusal(**env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    return result.stderr


def test_production_defaults_are_safe_without_trusting_any_proxy() -> None:
    shown = _settings(**PRODUCTION)
    assert shown["proxy"] is None
    assert shown["forwarded_host"] is False
    assert shown["session_secure"] is True
    assert shown["csrf_secure"] is True
    assert shown["conn_max_age"] == 60
    assert shown["health_checks"] is True
    assert shown["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert shown["static"] == "CompressedManifestStaticFilesStorage"
    assert shown["finders"] is False
    assert shown["stream"] == "ext://sys.stdout"
    assert shown["web"]["bind"] == "127.0.0.1:8000"
    assert shown["web"]["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_development_reads_static_files_from_the_apps_folders() -> None:
    shown = _settings(DEBUG="1")
    assert shown["static"] == "CompressedStaticFilesStorage"
    assert shown["finders"] is True
    assert shown["session_secure"] is False


def test_behind_a_tls_proxy_the_forwarded_headers_are_trusted_when_asked() -> None:
    shown = _settings(
        **PRODUCTION, SECURE_PROXY_SSL_HEADER="1", USE_X_FORWARDED_HOST="1", SECURE_SSL_REDIRECT="1"
    )
    assert shown["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["forwarded_host"] is True
    assert shown["ssl_redirect"] is True


def test_the_web_server_and_the_connections_follow_the_environment() -> None:
    shown = _settings(
        **PRODUCTION,
        CONN_MAX_AGE="0",
        WEB_BIND="0.0.0.0:9000",
        WEB_WORKERS="3",
        WEB_THREADS="8",
        WEB_TIMEOUT="45",
        WEB_MAX_REQUESTS="0",
    )
    assert shown["conn_max_age"] == 0
    web = shown["web"]
    assert (web["bind"], web["workers"], web["threads"]) == ("0.0.0.0:9000", 3, 8)
    assert (web["timeout"], web["max_requests"]) == (45, 0)


def test_a_number_that_is_not_one_is_refused_naming_the_setting() -> None:
    assert "WEB_WORKERS must be a whole number, not 'four'" in _refusal(
        **PRODUCTION, WEB_WORKERS="four"
    )


def test_an_s3_bucket_in_the_environment_selects_object_storage() -> None:
    shown = _settings(
        **PRODUCTION,
        S3_BUCKET="clinic-files",
        S3_ENDPOINT_URL="https://objects.example.org",
        S3_REGION="us-east-2",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret-example",
        S3_PREFIX="/otclinic/",
    )
    storage = shown["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "clinic-files"
    assert options["endpoint_url"] == "https://objects.example.org"
    assert options["region_name"] == "us-east-2"
    assert (options["access_key"], options["secret_key"]) == ("AKIAEXAMPLE", "secret-example")
    assert options["location"] == "otclinic"
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None


def test_an_s3_bucket_without_keys_uses_the_machines_own_credentials() -> None:
    options = _settings(**PRODUCTION, S3_BUCKET="clinic-files")["storage"]["OPTIONS"]
    assert "access_key" not in options
    assert "secret_key" not in options


@pytest.mark.parametrize("given", ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"])
def test_half_a_pair_of_s3_keys_is_refused(given: str) -> None:
    stderr = _refusal(**PRODUCTION, S3_BUCKET="clinic-files", **{given: "only-this"})
    assert "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together" in stderr
