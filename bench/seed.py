"""Benchmark the demo seed: how long `otclinic demo seed --scale N` takes to write 100,000 visits.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/seed.py                 # scale 50 (over 100,000 visits)
    .venv/bin/python bench/seed.py --scale 5       # a quick look
    .venv/bin/python bench/seed.py --backends sqlite

Each backend gets a fresh database: SQLite in a temporary file, and PostgreSQL (when one answers
at $BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres) in a temporary
database that is dropped afterwards. Each run is a child process, so that Django is set up
against that database alone. The migration is timed apart from the seed.
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

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def run_one(scale: int) -> dict[str, object]:
    """In the child: migrate the database in DATABASE_URL, seed it, and count what was written."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", "--no-input", verbosity=0)
    migrated = time.perf_counter() - started

    from otclinic.clinic.demo.seed import seed_demo

    cpu = time.process_time()
    result = seed_demo(scale=scale)
    cpu = time.process_time() - cpu
    return {
        "backend": connection.vendor,
        "scale": scale,
        "migrate_seconds": round(migrated, 1),
        "seed_seconds": round(result.seconds, 1),
        "seed_cpu_seconds": round(cpu, 1),
        "rows": result.rows,
        **{k.replace(" ", "_"): v for k, v in result.counts.items()},
    }


def child(url: str, scale: int) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "AXES_ENABLED": "0"}
    cmd = [sys.executable, __file__, "--child", "--scale", str(scale)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_sqlite(scale: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="otclinic-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        result = child(f"sqlite:///{path}", scale)
        result["database_mb"] = round(path.stat().st_size / 1e6)
        return result


def bench_postgres(scale: int, admin_url: str) -> dict[str, object] | None:
    import psycopg

    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable at {admin_url}: skipped ({exc})", file=sys.stderr)
        return None
    name = f"otclinic_bench_{os.getpid()}"
    parts = urlsplit(admin_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            return child(url, scale)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.scale)))
        return
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.1f}")
    backends = args.backends.split(",")
    results = []
    if "sqlite" in backends:
        results.append(bench_sqlite(args.scale))
    if "postgresql" in backends:
        pg = bench_postgres(args.scale, os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
        if pg:
            results.append(pg)
    for r in results:
        print(
            f"{r['backend']:<11} scale {r['scale']}: {r['visits']:,} visits "
            f"({r['rows']:,} rows) seeded in {r['seed_seconds']} s "
            f"(CPU {r['seed_cpu_seconds']} s in this process) "
            f"(migrate {r['migrate_seconds']} s); {r['patients']:,} patients, "
            f"{r['appointments']:,} appointments, {r['treatment_notes']:,} notes"
        )
        print(f"  {json.dumps(r)}")
        if int(str(r["visits"])) < 100_000:
            print("  (fewer than 100,000 visits: raise --scale for the full benchmark)")


if __name__ == "__main__":
    main()
