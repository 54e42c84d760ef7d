import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from hypothesis import settings as hypothesis_settings

from tests import clock

# No per-example deadline: a property's examples are judged by what they return, not by how fast
# a shared, loaded machine runs them (the default 200 ms deadline failed pure domain properties
# under a load average of 7).
hypothesis_settings.register_profile("otclinic", deadline=None)
hypothesis_settings.load_profile("otclinic")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if request.node.get_closest_marker("real_hashing"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(request: pytest.FixtureRequest, _media_root: Path) -> None:
    """Files a test saves through the storage go to a temporary folder, never to var/media.

    Browser tests keep the folder their demo clinic was seeded with (once per worker, before
    any test), since its documents are opened from the pages."""
    if request.node.get_closest_marker("browser"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = _media_root


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Audit checkpoints a test writes (the command, the hourly job) go to a folder of the
    test's own, never to var/, and no test sees another's."""
    settings = request.getfixturevalue("settings")
    settings.AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints", numbered=True)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Throttle counters live in the cache (in this process's memory): each test starts with
    none, whatever earlier tests counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    """Every test starts at the suite's moment (tests/clock.py), never at the real date."""
    with time_machine.travel(clock.now(), tick=True):
        yield


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_hashing: keep the production password hasher")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reverse",
        action="store_true",
        default=os.environ.get("OTCLINIC_REVERSE_TESTS", "").lower() in {"1", "true", "yes"},
        help="run the collected tests in reverse order (or set OTCLINIC_REVERSE_TESTS=1), to "
        "show that no test depends on what an earlier one left behind",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--reverse"):
        items.reverse()


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"otclinic: database engine {engine}; CI={'yes' if _in_ci() else 'no'}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """The PostgreSQL run must really be on PostgreSQL, never silently on SQLite."""
    if os.environ.get("OTCLINIC_REQUIRE_POSTGRES") != "1":
        return
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(f"OTCLINIC_REQUIRE_POSTGRES=1 but the database engine is {engine}")


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    """Tests marked `postgres` need what SQLite cannot give (true concurrency between
    connections): on SQLite they are skipped with a reason in capitals that `-ra` prints, and
    `make test-postgres` (CI's second run, where OTCLINIC_REQUIRE_POSTGRES=1 makes sure of the
    engine) runs them."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "POSTGRESQL TEST NOT RUN on "
            f"{connection.vendor}: run `make test-postgres` (CI runs it after `make test`)"
        )
