"""The production server: gunicorn behind `otclinic serve` with DEBUG off, static files from
WhiteNoise under content-hashed names, and Django's development server with DEBUG on."""

import gzip
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

from otclinic.config.server import ACCESS_LOG_FORMAT, gunicorn_options
from tests.servers import BIN, clean_environment, free_port, get, log_of, running

APP_CSS = "otclinic/app.css"
SOURCE_CSS = Path(__file__).parents[2] / "src/otclinic/clinic/web/static" / APP_CSS


@pytest.fixture
def production_static(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """DEBUG-off static settings, with the files collected into a fresh STATIC_ROOT."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--no-input", "--verbosity", "0")
    return settings.STATIC_ROOT


def test_with_debug_off_whitenoise_serves_a_collected_file_under_its_hashed_name(
    production_static: Path,
) -> None:
    url = static(APP_CSS)
    assert re.fullmatch(r"/static/otclinic/app\.[0-9a-f]{12}\.css", url), url

    response = Client().get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SOURCE_CSS.read_bytes()  # type: ignore[attr-defined]
    assert "immutable" in response["Cache-Control"]


def test_with_debug_off_whitenoise_serves_the_compressed_copy_to_a_browser_that_takes_it(
    production_static: Path,
) -> None:
    response = Client().get(static(APP_CSS), headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert gzip.decompress(body) == SOURCE_CSS.read_bytes()


def test_a_file_that_was_not_collected_is_not_served_with_debug_off(
    production_static: Path,
) -> None:
    (production_static / "otclinic" / "app.css").unlink()

    assert Client().get("/static/otclinic/app.css").status_code == 404


def test_gunicorn_takes_workers_threads_timeouts_and_bind_from_the_settings() -> None:
    server = {
        "bind": "0.0.0.0:9000",
        "workers": 3,
        "threads": 8,
        "timeout": 45,
        "graceful_timeout": 20,
        "keepalive": 4,
        "max_requests": 500,
        "max_requests_jitter": 50,
        "forwarded_allow_ips": "10.0.0.5",
    }
    options = gunicorn_options(server=server)
    assert options["bind"] == ["0.0.0.0:9000"]
    assert (options["workers"], options["threads"], options["worker_class"]) == (3, 8, "gthread")
    assert (options["timeout"], options["graceful_timeout"], options["keepalive"]) == (45, 20, 4)
    assert (options["max_requests"], options["max_requests_jitter"]) == (500, 50)
    assert options["forwarded_allow_ips"] == "10.0.0.5"
    assert gunicorn_options(server=server, bind="127.0.0.1:1")["bind"] == ["127.0.0.1:1"]
    assert gunicorn_options(server=server | {"threads": 1})["worker_class"] == "sync"


def test_the_access_log_format_leaves_out_query_strings_and_referers() -> None:
    # %(r)s is the whole request line and %(q)s the query string; %(f)s the referer.
    assert "%(U)s" in ACCESS_LOG_FORMAT
    assert not {"%(r)s", "%(q)s", "%(f)s", "%(a)s"} & set(
        re.findall(r"%\(\w+\)s", ACCESS_LOG_FORMAT)
    )


def _serve(tmp_path: Path, *, debug: str, port: int) -> tuple[list[str], dict[str, str]]:
    env = clean_environment(
        DEBUG=debug,
        SECRET_KEY="a-production-key-for-this-test-only",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        WEB_WORKERS="1",
        WEB_THREADS="2",
        SECURE_COOKIES="0",
        # Plain HTTP on the loopback: no redirect to HTTPS (production's default).
        SECURE_SSL_REDIRECT="0",
    )
    return [str(BIN / "otclinic"), "serve", "--addr", f"127.0.0.1:{port}"], env


def test_serve_with_debug_off_runs_gunicorn_with_static_files_and_no_query_strings_in_its_log(
    tmp_path: Path,
) -> None:
    port = free_port()
    args, env = _serve(tmp_path, debug="0", port=port)
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"

    with running(args, env=env, log=log, ready_url=f"{base}/login/"):
        status, headers, page = get(f"{base}/login/?next=/patients/%3Fq%3DQuartermaine")
        css = re.search(rb'href="(/static/otclinic/app\.[0-9a-f]{12}\.css)"', page)
        assert css, page[:2000]
        css_status, css_headers, css_body = get(base + css.group(1).decode())

    assert status == 200
    assert headers["Server"] == "gunicorn"
    assert css_status == 200
    assert css_body == SOURCE_CSS.read_bytes()
    assert "immutable" in css_headers["Cache-Control"]
    output = log_of(log)
    assert "Starting gunicorn" in output
    assert "Using worker: gthread" in output
    assert '"GET /login/" 200' in output
    assert "Quartermaine" not in output
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_serve_with_debug_on_runs_djangos_development_server(tmp_path: Path) -> None:
    port = free_port()
    args, env = _serve(tmp_path, debug="1", port=port)
    base = f"http://127.0.0.1:{port}"

    with running(args, env=env, log=tmp_path / "serve.log", ready_url=f"{base}/login/"):
        status, headers, _ = get(f"{base}/login/")
        css_status, _, css_body = get(f"{base}/static/{APP_CSS}")

    assert status == 200
    assert headers["Server"].startswith("WSGIServer")
    assert (css_status, css_body) == (200, SOURCE_CSS.read_bytes())
    assert not (tmp_path / "static").exists()
