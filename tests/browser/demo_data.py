"""The clinic the browser tests walk through, and the live server that serves it.

pytest-django's `live_server` fixture flushes the database after every test, which would mean
seeding the demo clinic once per test. Instead a module seeds it once, serves it from its own
live server thread, and flushes the database when the module is done, so later tests on the same
worker start from an empty database as they expect.
"""

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import modify_settings, override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

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


def is_test_database(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether `alias` points at the test database rather than the configured one."""
    connection = connections[alias]
    return bool(connection.settings_dict["NAME"] == connection.creation._get_test_db_name())


@contextmanager
def demo_clinic_running(django_db_blocker: Any) -> Iterator[DemoClinic]:
    # Seeding and flushing the configured database would wipe someone's demo clinic: refuse.
    if not is_test_database():
        raise RuntimeError("the browser tests must run on the test database, never the real one")
    with django_db_blocker.unblock():
        try:
            # The same fast hasher the root conftest gives every test: a password hashed with
            # Argon2 here could not be checked while a test runs with only MD5 configured.
            with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
                seeded = _seed_or_restore()
            # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT has not been
            # collected; the live server serves static files from the finders anyway.
            with override_settings(WHITENOISE_AUTOREFRESH=True):
                server = LiveServer("localhost", start=False)
                server.thread.server_class = OneRequestAtATime
                server.start()
            try:
                with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
                    yield DemoClinic(url=server.url, **seeded)
            finally:
                _let_requests_finish()
                server.stop()
        finally:
            call_command("flush", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)


def _let_requests_finish(timeout: float = 5.0) -> None:
    """Wait for the live server's request threads (daemons Django never joins).

    A request still closing its database connection after the server stopped sharing the
    in-memory SQLite connection raises in its thread, which pytest reports as an error.
    """
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


# The seeded SQLite database, copied once per worker: each later module restores it in
# milliseconds instead of seeding again for seconds.
_SNAPSHOT: dict[str, Any] = {}


def _seed_or_restore() -> dict[str, Any]:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        return _seed()
    connection.ensure_connection()
    today = timezone.localdate()
    if _SNAPSHOT.get("today") == today:
        _SNAPSHOT["database"].backup(connection.connection)
        ContentType.objects.clear_cache()  # the flush since gave content types new ids
        return dict(_SNAPSHOT["seeded"])
    seeded = _seed()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _SNAPSHOT.update(today=today, database=copy, seeded=seeded)
    return seeded


def _seed() -> dict[str, Any]:
    try:
        from otclinic.clinic.demo.seed import demo_logins, seed_demo
    except ImportError:
        return _factory_clinic()
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


def _factory_clinic() -> dict[str, Any]:
    """A small clinic built with the test factories (until the demo seed exists)."""
    from tests.clinic import factories as f

    org = f.OrganizationFactory(name="Demo Therapy Partners")
    clinic = f.ClinicFactory(organization=org, name="Riverside")
    ota = f.StaffProfileFactory(user__organization=org, user__role="OTA", user__username="ota.demo")
    desk = f.StaffProfileFactory(
        user__organization=org, user__role="front_desk", user__username="desk.demo"
    )
    today = timezone.localdate()
    for hour, last_name in zip(
        (9, 10, 11), ("Okafor", "Lindqvist", "Castellanos-Whitfield"), strict=True
    ):
        patient = f.PatientFactory(organization=org, home_clinic=clinic, last_name=last_name)
        f.CoverageFactory(patient=patient)
        f.DiagnosisFactory(patient=patient)
        episode = f.EpisodeFactory(patient=patient)
        f.NoteLineFactory(note__episode=episode)
        starts = timezone.make_aware(dt.datetime.combine(today, dt.time(hour)))
        f.AppointmentFactory(
            patient=patient,
            clinician=ota,
            episode=episode,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=45),
        )
    return {
        "logins": {
            "OTA": Login(ota.user.username, f.PASSWORD),
            "front_desk": Login(desk.user.username, f.PASSWORD),
        },
        "search_last_name": "Lindqvist",
    }
