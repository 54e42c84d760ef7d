"""Benchmark the audit trail: the cost of an audited save, and how fast verify walks a chain.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/audit_writes.py                          # SQLite and PostgreSQL
    .venv/bin/python bench/audit_writes.py --backends sqlite --entries 20000
    .venv/bin/python bench/audit_writes.py --src /tmp/otclinic-main   # another checkout's code

Each backend gets a fresh database (SQLite in a temporary file; PostgreSQL in the database
`otclinic_audit_chain_bench` at $BENCH_POSTGRES_URL's server, created and dropped) and runs in a
child process, against the code in --src (default: this checkout), so the figures before and
after a change come from the same script. It measures:

- `saves`: patients changed one by one with `save()` (one audited UPDATE each), all in one
  transaction, and again each in its own transaction (autocommit), in microseconds per save;
- `verify`: a synthetic trail of --entries entries over 10 organizations, written in
  transactions of 1,000, then `audit_verify()` timed, in entries per second.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "otclinic_audit_chain_bench"


def _saves(patients: list, *, one_transaction: bool) -> float:
    from django.db import transaction

    started = time.perf_counter()
    if one_transaction:
        with transaction.atomic():
            for n, patient in enumerate(patients):
                patient.preferred_name = f"T{n}"
                patient.save()
    else:
        for n, patient in enumerate(patients):
            patient.preferred_name = f"A{n}"
            patient.save()
    return (time.perf_counter() - started) / len(patients) * 1e6


def _synthetic_trail(entries: int, organizations: list) -> float:
    from django.db import transaction

    from otclinic.clinic.audit.models import AuditAction
    from otclinic.clinic.audit.services import audit_record

    started = time.perf_counter()
    for start in range(0, entries, 1000):
        with transaction.atomic():
            for n in range(start, min(start + 1000, entries)):
                audit_record(
                    action=AuditAction.VIEW,
                    object_type="bench.page",
                    object_id=n,
                    organization_id=organizations[n % len(organizations)].pk,
                )
    return time.perf_counter() - started


def run_one(saves: int, entries: int) -> dict[str, object]:
    """In the child: migrate the database in DATABASE_URL, then time saves and verify."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--no-input", verbosity=0)
    from tests.clinic import factories as f

    from otclinic.clinic.audit.models import AuditEvent
    from otclinic.clinic.audit.services import audit_verify

    organizations = [f.OrganizationFactory() for _ in range(10)]
    patients = [f.PatientFactory(organization=organizations[0]) for _ in range(saves)]
    in_one = _saves(patients, one_transaction=True)
    each_own = _saves(patients, one_transaction=False)
    written = _synthetic_trail(entries, organizations)
    total = AuditEvent.objects.count()
    started = time.perf_counter()
    report = audit_verify()
    verify_seconds = time.perf_counter() - started
    assert report.ok, report.problem
    return {
        "backend": connection.vendor,
        "saves": saves,
        "save_in_one_transaction_us": round(in_one),
        "save_in_own_transaction_us": round(each_own),
        "synthetic_entries": entries,
        "synthetic_write_seconds": round(written, 1),
        "verify_entries": total,
        "verify_seconds": round(verify_seconds, 2),
        "verify_entries_per_second": round(total / verify_seconds),
    }


def child(url: str, src: Path, saves: int, entries: int) -> dict[str, object]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "AXES_ENABLED": "0",
        "PYTHONPATH": f"{src / 'src'}{os.pathsep}{src}",
    }
    cmd = [sys.executable, __file__, "--child", "--saves", str(saves), "--entries", str(entries)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=src)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_sqlite(src: Path, saves: int, entries: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="otclinic-bench-") as tmp:
        return child(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", src, saves, entries)


def bench_postgres(src: Path, saves: int, entries: int, admin_url: str) -> dict[str, object]:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{BENCH_DB}"))
        return child(url, src, saves, entries)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--src", type=Path, default=HERE, help="the checkout whose code to time")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.saves, args.entries)))
        return
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, code from {args.src}")
    print(f"load average at start: {os.getloadavg()}")
    admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    for backend in args.backends.split(","):
        if backend == "sqlite":
            result = bench_sqlite(args.src, args.saves, args.entries)
        else:
            result = bench_postgres(args.src, args.saves, args.entries, admin_url)
        print(json.dumps(result))
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
