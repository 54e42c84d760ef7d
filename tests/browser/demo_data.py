"""The clinic the browser tests walk through, and the live server that serves it.

pytest-django's `live_server` fixture flushes the database after every test, which would mean
seeding the demo clinic once per test (seconds each). Instead the demo clinic is seeded once per
worker, at the suite's clock (tests/clock.py), and the seeded SQLite database is copied; before
each test the copy is restored into the test database, in milliseconds, so every test starts
from the same demo clinic whatever ran before it. Each module serves it from its own live server
thread and flushes the database when it is done, so later tests on the same worker start from an
empty database as they expect.
"""

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import modify_settings, override_settings
from pytest_django.live_server_helper import LiveServer

from tests import clock
from tests.browser.job_worker import SHARED_CONNECTION

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@dataclass(frozen=True)
class Login:
    username: str
    password: str


@dataclass(frozen=True)
class DemoClinic:
    url: str
    logins: dict[str, Login]  # by role: "OTA", "front_desk", ...
    search_last_name: str  # a patient's last name that the patient search must find

    def login(self, role: str) -> Login:
        assert role in self.logins, f"the demo clinic has no {role} login: {sorted(self.logins)}"
        return self.logins[role]


class OneRequestAtATime(WSGIServer):
    """A live server that answers one request after another.

    With SQLite every request shares the test's single in-memory connection; two requests at
    once (a double-tapped button, htmx and a form) would interleave their transactions on it
    ("no such savepoint"). Django's default live server is threaded.
    """

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        # The job worker thread (job_worker.py) takes the same lock between requests.
        with SHARED_CONNECTION:
            super().process_request(request, client_address)


@contextmanager
def between_requests(django_db_blocker: Any) -> Iterator[None]:
    """Database access from the test itself while the live server runs: it waits for the
    request being answered (an htmx poll, a page still loading) and holds the shared
    connection until done, as the server and the job worker do."""
    with django_db_blocker.unblock(), SHARED_CONNECTION:
        yield


def is_test_database(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether `alias` points at the test database rather than the configured one."""
    connection = connections[alias]
    return bool(connection.settings_dict["NAME"] == connection.creation._get_test_db_name())


@dataclass(frozen=True)
class DemoSnapshot:
    """The seeded demo clinic: its logins, and a copy of the SQLite database to restore."""

    seeded: dict[str, Any]
    database: sqlite3.Connection | None  # None on other engines: they seed again per test


def seed_demo_snapshot(django_db_blocker: Any) -> DemoSnapshot:
    """Seed the demo clinic into the emptied test database and keep a copy of it."""
    _refuse_the_configured_database()
    with django_db_blocker.unblock():
        call_command("flush", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)
        seeded = _seed_at_the_suites_clock()
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return DemoSnapshot(seeded=seeded, database=None)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return DemoSnapshot(seeded=seeded, database=copy)


def _copy_back(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy the snapshot over the test database. A request the last test's page left running
    (an autosave, a poll) can hold a lock for a moment: the copy waits for it, then tries again.
    Python 3.11's backup() reports a locked target as SystemError rather than OperationalError."""
    for attempt in range(50):
        try:
            source.backup(target)
            return
        except (sqlite3.OperationalError, SystemError):
            if attempt == 49:
                raise
            time.sleep(0.1)


def restore_demo(snapshot: DemoSnapshot, django_db_blocker: Any) -> dict[str, Any]:
    """Put the test database back to the freshly seeded demo clinic; its logins and names."""
    _refuse_the_configured_database()
    with django_db_blocker.unblock():
        connection = connections[DEFAULT_DB_ALIAS]
        if snapshot.database is None:
            call_command("flush", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)
            seeded = _seed_at_the_suites_clock()
        else:
            connection.ensure_connection()
            _copy_back(snapshot.database, connection.connection)
            seeded = snapshot.seeded
        # Content type ids cached in this process may be those of a database since flushed.
        ContentType.objects.clear_cache()
    return dict(seeded)


@contextmanager
def demo_server_running(django_db_blocker: Any) -> Iterator[str]:
    """A live server on the test database (its URL); the database is flushed when it stops."""
    _refuse_the_configured_database()
    with django_db_blocker.unblock():
        try:
            # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT has not been
            # collected; the live server serves static files from the finders anyway.
            with override_settings(WHITENOISE_AUTOREFRESH=True):
                server = LiveServer("localhost", start=False)
                server.thread.server_class = OneRequestAtATime
                server.start()
            try:
                with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
                    yield server.url
            finally:
                _let_requests_finish()
                server.stop()
        finally:
            call_command("flush", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)


def _refuse_the_configured_database() -> None:
    # Seeding and flushing the configured database would wipe someone's demo clinic: refuse.
    if not is_test_database():
        raise RuntimeError("the browser tests must run on the test database, never the real one")


def _let_requests_finish(timeout: float = 5.0) -> None:
    """Wait for the live server's request threads (daemons Django never joins).

    A request still closing its database connection after the server stopped sharing the
    in-memory SQLite connection raises in its thread, which pytest reports as an error.
    """
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


def _seed_at_the_suites_clock() -> dict[str, Any]:
    # The same fast hasher the root conftest gives every test: a password hashed with Argon2
    # here could not be checked while a test runs with only MD5 configured. The clock is the
    # suite's day, a little before the moment each test starts at (tests/clock.py).
    with (
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
        time_machine.travel(clock.seeded_at(), tick=True),
    ):
        return _seed()


def _seed() -> dict[str, Any]:
    from otclinic.clinic.demo.seed import demo_logins, seed_demo

    seed_demo(scale=1, random_seed=2026)
    logins = _logins_by_role([(username, password) for _, username, password in demo_logins()])
    return {
        "logins": logins,
        "search_last_name": _a_caseload_last_name(logins["OTA"].username),
    }


def _logins_by_role(pairs: list[tuple[str, str]]) -> dict[str, Login]:
    from otclinic.clinic.accounts.models import User

    roles = dict(
        User.objects.filter(username__in=[u for u, _ in pairs]).values_list("username", "role")
    )
    return {
        roles[username]: Login(username, password)
        for username, password in pairs
        if username in roles
    }


def _a_caseload_last_name(username: str) -> str:
    from otclinic.clinic.scheduling.models import Appointment

    appointment = Appointment.objects.filter(clinician__user__username=username).first()
    assert appointment is not None, f"the demo seed gives {username} no appointments at all"
    return str(appointment.patient.last_name)
