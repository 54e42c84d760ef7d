"""How fast the pages are at ten times the demo clinic, served by the production server.

Target (issue 12): every page's p95 within 5x the p95 of a signed-in page that renders the base
template with no data (`/ping/`), and no page whose size or query count grows with the number
of patients (the tests in tests/clinic/test_page_queries.py hold the query counts).

    .venv/bin/python bench/pages.py                     # scale 10, 30 timed requests per page
    .venv/bin/python bench/pages.py --requests 50 --json var/bench/pages.json
    .venv/bin/python bench/pages.py --database bench_mine --pages "calendar,supervision"

What it does, in one process:

1. Makes the PostgreSQL database `--database` (default otclinic_bench) at `$BENCH_POSTGRES_URL`
   (default postgres://postgres@127.0.0.1:5432), migrates it and seeds the demo clinic at
   `--scale` (`otclinic demo seed --scale N`); a database already seeded at that scale is
   reused (one seeded at another scale is refused: drop it or name another). Above scale 1 the
   demo seed has no revenue cycle, so `tests/clinic/pages/revenue_cycle.py` adds one in bulk
   (charges, claims, ledger, remittances, denials) from the signed notes, once; at scale 1 the
   seed bills a month through the services (demo/revenue.py) and the bulk cycle adds nothing.
2. Picks the pages: every role's home, patient search, a chart, a note, the co-sign queue, the
   day and week calendar, the claims list, the denials queue, A/R aging, patient balances,
   messages and the supervision dashboard, each as the demo login that works there; and `/ping/`
   as each of those logins, the baseline.
3. Renders each page once in this process with Django's test client to count its queries and
   bytes (`CaptureQueriesContext`).
4. Starts gunicorn (`--workers`, default 2, sync workers, DEBUG off, whitenoise for static
   files) with `OTCLINIC_SERVER_TIMING=1`, so each response carries the server's own CPU time
   and query count; signs each login in through the sign-in form; requests every page 3 times
   to warm up, then `--requests` times in rounds (one request to every page per round, so a
   burst of load from elsewhere on the machine falls on all pages alike).
   With `--in-process N` it starts no server: it renders each page N more times in this process
   and prints the CPU time (min, median and p95 per render, this process and the database's work it
   waits on excluded) with the page's share of Django's time; `--profile NAME` adds a cProfile
   of the pages whose name contains NAME, the 25 costliest functions by cumulative time.
5. Prints a table (p50 and p95 of the wall time seen by the client, p95 of the server's CPU time
   per request, bytes, queries, and the p95 as a multiple of the same login's `/ping/` p95) and,
   with `--json`, writes every figure.

The machine's CPU model, core count, Python, PostgreSQL version and the load average at the start
and end are printed with the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SECRET = "bench-only-secret-not-for-production-0123456789abcdef"  # noqa: S105
PASSWORD_FIELD = "password"  # noqa: S105 - the sign-in form field's name


@dataclass
class Page:
    name: str
    login: str
    path: str
    queries: int = 0
    size: int = 0
    status: int = 0
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    server_queries: set[int] = field(default_factory=set)


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p95 of 30 values is the 29th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


# --- the database ---------------------------------------------------------------------------------


def database_url(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}"


def ensure_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')  # name checked by argparse's pattern


def configure(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback
        AXES_ENABLED="0",
        DJANGO_SETTINGS_MODULE="otclinic.config.settings",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


def prepare(scale: int) -> dict[str, Any]:
    """Migrate, seed at `scale` when empty, add the revenue cycle; the organization's facts."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from otclinic.clinic.demo import catalog
    from otclinic.clinic.demo.seed import seed_demo
    from otclinic.clinic.organizations.models import Organization
    from otclinic.clinic.patients.models import Patient

    call_command("migrate", "--no-input", verbosity=0)
    org = Organization.objects.filter(slug=catalog.ORG_SLUG).first()
    if org is not None:
        patients = Patient.objects.filter(organization=org).count()
        if patients != scale * catalog.PATIENTS_PER_SCALE:
            raise SystemExit(
                f"the database holds a demo clinic of {patients} patients, not scale {scale} "
                f"({scale * catalog.PATIENTS_PER_SCALE}): drop it or pass --database NAME"
            )
    started = time.perf_counter()
    result = seed_demo(scale=scale)
    print(f"seed: {result.summary().splitlines()[0]} ({time.perf_counter() - started:.1f} s)")
    org = Organization.objects.get(slug=catalog.ORG_SLUG)
    from tests.clinic.pages.revenue_cycle import add_revenue

    started = time.perf_counter()
    added = add_revenue(organization=org, today=timezone.localdate())
    if added:
        print(f"revenue cycle added in {time.perf_counter() - started:.1f} s: {added}")
    # What a deployment does: static files collected for whitenoise, and the planner's
    # statistics up to date (autovacuum would gather them soon after a bulk load).
    call_command("collectstatic", "--no-input", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"organization": org}


def pick_pages(org: Any, wanted: list[str] | None = None) -> list[Page]:
    """The pages to time (tests/clinic/pages/catalog.py; with `wanted`, those whose name
    contains one of its words), then `/ping/` as each of their logins."""
    from tests.clinic.pages.catalog import baselines, pages

    specs = pages(org)
    if wanted:
        specs = [spec for spec in specs if any(word in spec.name for word in wanted)]
        if not specs:
            raise SystemExit(f"no page's name contains any of {wanted}")
    return [Page(spec.name, spec.login, spec.path) for spec in baselines(specs) + specs]


def count_queries(pages: list[Page]) -> None:
    """Each page once through Django's test client: its queries and bytes (after one warm-up)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from otclinic.clinic.accounts.models import User

    clients: dict[str, Client] = {}
    for page in pages:
        if page.login not in clients:
            clients[page.login] = Client()
            clients[page.login].force_login(User.objects.get(username=page.login))
        client = clients[page.login]
        client.get(page.path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        page.queries, page.size, page.status = (
            len(captured.captured_queries),
            len(response.content),
            response.status_code,
        )


def in_process(pages: list[Page], renders: int, profile: str | None) -> None:
    """Each page `renders` times through the test client: this process's CPU time per render
    (min, median and p95), and a cProfile of the pages named by `profile`, timed by this
    process's CPU time (the time spent waiting for the database is left out, as from the
    figures)."""
    import cProfile
    import pstats
    import statistics

    from django.test import Client

    from otclinic.clinic.accounts.models import User

    clients: dict[str, Client] = {}
    print(f"{'page':<40} {'CPU min ms':>10} {'median ms':>10} {'p95 ms':>8} {'wall median ms':>15}")
    for page in pages:
        if page.login not in clients:
            clients[page.login] = Client()
            clients[page.login].force_login(User.objects.get(username=page.login))
        client = clients[page.login]
        cpu, wall = [], []
        for _ in range(renders):
            started, started_wall = time.process_time(), time.perf_counter()
            client.get(page.path)
            cpu.append(time.process_time() - started)
            wall.append(time.perf_counter() - started_wall)
        print(
            f"{page.name:<40} {min(cpu) * 1000:>10.1f} {statistics.median(cpu) * 1000:>10.1f} "
            f"{percentile(cpu, 95) * 1000:>8.1f} {statistics.median(wall) * 1000:>15.1f}"
        )
        if profile and profile in page.name:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(renders):
                client.get(page.path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, OTCLINIC_SERVER_TIMING="1")
    command = [
        str(REPO / ".venv" / "bin" / "gunicorn"),
        "otclinic.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start within 60 s")


class Session:
    """One signed-in browser: a cookie jar and the sign-in form."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.sign_in(username, password)

    def sign_in(self, username: str, password: str) -> None:
        html = self.opener.open(self.base + "/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, "no CSRF token on the sign-in page"
        data = urllib.parse.urlencode(
            {"username": username, PASSWORD_FIELD: password, "csrfmiddlewaretoken": token[1]}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + "/login/", data=data, headers={"Referer": self.base + "/login/"}
        )
        response = self.opener.open(request)
        if response.geturl().rstrip("/").endswith("/login"):
            raise SystemExit(f"could not sign in as {username}")

    def get(self, path: str) -> tuple[float, int, int, float | None, int | None]:
        started = time.perf_counter()
        with self.opener.open(self.base + path) as response:
            body = response.read()
            status = response.status
            timing = response.headers.get("Server-Timing", "")
        wall = time.perf_counter() - started
        cpu = re.search(r"cpu;dur=([\d.]+)", timing)
        queries = re.search(r"db;desc=\"(\d+) queries\"", timing)
        return (
            wall,
            status,
            len(body),
            float(cpu[1]) / 1000 if cpu else None,
            int(queries[1]) if queries else None,
        )


def time_pages(pages: list[Page], base: str, rounds: int, password: str) -> None:
    sessions = {login: Session(base, login, password) for login in sorted({p.login for p in pages})}
    for _ in range(3):
        for page in pages:
            sessions[page.login].get(page.path)
    for _ in range(rounds):
        for page in pages:
            wall, status, size, cpu, queries = sessions[page.login].get(page.path)
            if status != 200:
                raise SystemExit(f"{page.path} as {page.login} answered {status}")
            page.wall.append(wall)
            if cpu is not None:
                page.cpu.append(cpu)
            if queries is not None:
                page.server_queries.add(queries)
            page.size = size


# --- the report -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"Model name:\s*(.+)", lscpu)
        model = found[1].strip() if found else ""
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": postgres,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def report(pages: list[Page], facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The table: each page's figures, and its p95 as a multiple of the baseline's p95 (every
    login's `/ping/` requests pooled) on the wall clock and on the server's CPU time."""
    pings = [p for p in pages if p.path == "/ping/"]
    base_wall = percentile([w for p in pings for w in p.wall], 95)
    base_cpu = percentile([c for p in pings for c in p.cpu], 95) if pings[0].cpu else None
    rows = []
    print(
        f"baseline (/ping/, {len(pings)} logins pooled): p95 {base_wall * 1000:.1f} ms wall"
        + (f", {base_cpu * 1000:.1f} ms server CPU" if base_cpu else "")
    )
    print(
        "| page | login | p50 ms | p95 ms | p95 / baseline | server CPU p50 / p95 ms "
        "| CPU p95 / baseline | bytes | queries |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for page in pages:
        p50, p95 = percentile(page.wall, 50), percentile(page.wall, 95)
        cpu50 = percentile(page.cpu, 50) if page.cpu else None
        cpu95 = percentile(page.cpu, 95) if page.cpu else None
        cpu_ratio = cpu95 / base_cpu if cpu95 is not None and base_cpu else None
        rows.append(
            {
                "page": page.name,
                "login": page.login,
                "path": re.sub(r"[0-9a-f-]{36}", "<id>", page.path),
                "p50_ms": round(p50 * 1000, 1),
                "p95_ms": round(p95 * 1000, 1),
                "ratio": round(p95 / base_wall, 2),
                "server_cpu_p50_ms": round(cpu50 * 1000, 1) if cpu50 is not None else None,
                "server_cpu_p95_ms": round(cpu95 * 1000, 1) if cpu95 is not None else None,
                "cpu_ratio": round(cpu_ratio, 2) if cpu_ratio is not None else None,
                "bytes": page.size,
                "queries": page.queries,
                "server_queries": sorted(page.server_queries),
            }
        )
        cpu_text = f"{cpu50 * 1000:.1f} / {cpu95 * 1000:.1f}" if cpu95 and cpu50 else "-"
        cpu_ratio_text = f"{cpu_ratio:.2f}x" if cpu_ratio is not None else "-"
        print(
            f"| {page.name} | {page.login} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | "
            f"{p95 / base_wall:.2f}x | {cpu_text} | {cpu_ratio_text} | {page.size:,} | "
            f"{page.queries} |"
        )
    worst = max(rows, key=lambda r: r["ratio"])
    over = [r["page"] for r in rows if r["ratio"] > 5]
    print(f"\nworst: {worst['page']} at {worst['ratio']}x the baseline's p95 (target: within 5x)")
    print(f"over 5x: {', '.join(over) or 'none'}")
    print(json.dumps(facts))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--database", default="otclinic_bench", type=_db_name)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--count-only", action="store_true", help="count queries and bytes; start no server"
    )
    parser.add_argument(
        "--pages",
        help="time only the pages whose name contains one of these comma-separated words "
        '(e.g. "calendar,supervision"), with the baseline of their logins',
    )
    parser.add_argument(
        "--in-process",
        type=int,
        metavar="N",
        help="render each page N times in this process and print its CPU time; start no server",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="with --in-process: a cProfile of the pages whose name contains NAME",
    )
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    ensure_database(base_url, args.database)
    configure(database_url(base_url, args.database))
    load_start = os.getloadavg()
    facts = prepare(args.scale)
    wanted = (
        [word.strip() for word in args.pages.split(",") if word.strip()] if args.pages else None
    )
    pages = pick_pages(facts["organization"], wanted)
    count_queries(pages)
    bad = [p for p in pages if p.status != 200]
    if bad:
        raise SystemExit("pages that do not answer 200: " + ", ".join(p.path for p in bad))
    if args.count_only:
        for page in pages:
            print(f"{page.name:<34} {page.queries:>5} queries {page.size:>10,} bytes")
        return
    if args.in_process:
        in_process(pages, args.in_process, args.profile)
        return
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        from otclinic.clinic.demo import catalog

        started = time.perf_counter()
        time_pages(pages, f"http://127.0.0.1:{port}", args.requests, catalog.DEMO_PASSWORD)
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    info = machine() | {
        "command": " ".join([".venv/bin/python", "bench/pages.py", *sys.argv[1:]]),
        "scale": args.scale,
        "requests_per_page": args.requests,
        "workers": args.workers,
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "timed_seconds": round(elapsed, 1),
    }
    rows = report(pages, info)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": info, "pages": rows}, indent=2) + "\n")


def _db_name(value: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,62}", value):
        raise argparse.ArgumentTypeError("a database name of lower-case letters, digits, _ and -")
    return value


if __name__ == "__main__":
    main()
