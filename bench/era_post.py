"""Benchmark posting a 10,000-claim 835 into PostgreSQL: claims posted per second.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/era_post.py                 # 10,000 claims, 2 service lines each
    .venv/bin/python bench/era_post.py --claims 2000

It creates a temporary database on the server in BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, writes one organization, a biller,
100 patients and N submitted claims of two lines (97530 and 97110) directly with bulk inserts,
generates a matching 835 (one transaction set; each claim paid with CO 45 and PR 2 per line, so
that every line balances), then times `era_import` (read + match + post, one database
transaction) and a second import of the same file (which must post nothing). The database is
dropped at the end. The posting runs in a child process with DATABASE_URL set to that database.
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parent.parent
ISA = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         "
    "*260320*1200*^*00501*000000001*0*P*:"
)
DOS = dt.date(2026, 3, 12)


def control_number(i: int) -> str:
    return f"OT{i:08d}"


def generate_835(claims: int) -> str:
    """One transaction set paying `claims` two-line claims; the money and counts balance."""
    body: list[str] = []
    for i in range(claims):
        body += [
            f"CLP*{control_number(i)}*1*250.00*180.00*20.00*12*P{i:010d}",
            "SVC*HC:97530:GO*150.00*110.00**2",
            "DTM*472*20260312",
            "CAS*CO*45*28.00",
            "CAS*PR*2*12.00",
            "SVC*HC:97110:GO*100.00*70.00**1",
            "DTM*472*20260312",
            "CAS*CO*45*22.00",
            "CAS*PR*2*8.00",
        ]
    total = Decimal("180.00") * claims
    head = [
        "ST*835*0001",
        f"BPR*I*{total}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20260320",
        "TRN*1*BENCH0001*1512345678",
        "DTM*405*20260320",
        "N1*PR*BENCH PAYER",
        "N3*1 PAYER WAY",
        "N4*CITY*ST*12345",
        "PER*BL*EDI*TE*5555550100",
        "N1*PE*THERAPY CLINIC*XX*1234567893",
        "LX*1",
    ]
    st = head + body
    segments = [ISA, "GS*HP*PAYER*CLINIC*20260320*1200*1*X*005010X221A1", *st]
    segments += [f"SE*{len(st) + 1}*0001", "GE*1*1", "IEA*1*000000001"]
    return "~".join(segments) + "~"


def run_child(claims: int) -> dict[str, object]:
    """In the child: migrate, write the claims, post the 835 twice, and time it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--no-input", verbosity=0)
    user = _write_claims(claims)
    raw = generate_835(claims).encode()

    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.revenue.models import LedgerEntry
    from otclinic.clinic.revenue.posting import era_import

    with acting_as(actor_for_user(user)):
        started, cpu = time.perf_counter(), time.process_time()
        report = era_import(user=user, raw=raw, filename="bench.835")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        again_started = time.perf_counter()
        again = era_import(user=user, raw=raw, filename="bench.835")
        again_seconds = time.perf_counter() - again_started
    assert len(report.posted) == claims and not report.unmatched, "every claim must match"
    assert again.nothing_posted, "the second import must post nothing"
    entries = LedgerEntry.objects.count()
    return {
        "backend": connection.vendor,
        "server": connection.pg_version if connection.vendor == "postgresql" else None,
        "claims": claims,
        "file_mb": round(len(raw) / 1e6, 2),
        "post_seconds": round(seconds, 2),
        "post_cpu_seconds": round(cpu, 2),
        "claims_per_second": round(claims / seconds),
        "ledger_entries": entries,
        "second_import_seconds": round(again_seconds, 2),
    }


def _write_claims(claims: int) -> object:
    from tests.clinic import factories as f

    from otclinic.clinic.revenue.models import Claim, ClaimLine, ClaimStatus

    org = f.OrganizationFactory(slug="bench")
    biller = f.staff_user(organization=org, role="biller")
    coverages = [f.CoverageFactory(patient__organization=org) for _ in range(100)]
    episodes = [f.EpisodeFactory(patient=c.patient) for c in coverages]
    rows, lines = [], []
    for i in range(claims):
        k = i % len(coverages)
        claim = Claim(
            organization=org,
            patient=coverages[k].patient,
            coverage=coverages[k],
            episode=episodes[k],
            patient_control_number=control_number(i),
            status=ClaimStatus.SUBMITTED,
            rendering_provider=episodes[k].therapist,
            diagnosis_codes=["M62.81"],
            total_charge=Decimal("250.00"),
            first_service_on=DOS,
            last_service_on=DOS,
        )
        rows.append(claim)
        for number, (code, amount, units) in enumerate(
            [("97530", "150.00", 2), ("97110", "100.00", 1)], start=1
        ):
            lines.append(
                ClaimLine(
                    organization=org,
                    claim=claim,
                    line_number=number,
                    date_of_service=DOS,
                    code=code,
                    modifiers=["GO"],
                    units=units,
                    amount=Decimal(amount),
                    diagnosis_pointers=[1],
                )
            )
    Claim.objects.bulk_create(rows, batch_size=2000)
    ClaimLine.objects.bulk_create(lines, batch_size=2000)
    return biller


def bench_postgres(claims: int, admin_url: str) -> dict[str, object]:
    import psycopg

    admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    name = f"otclinic_bench_post_{os.getpid()}"
    url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "AXES_ENABLED": "0"}
            env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
            cmd = [sys.executable, __file__, "--child", "--claims", str(claims)]
            out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    model = next(
        (ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("Model name")),
        "unknown",
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return (
        f"nproc={nproc}, CPU {model!r}, Python {platform.python_version()},"
        f" {time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.claims)))
        return
    print(f"machine: {machine()}")
    result = bench_postgres(args.claims, os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    print(
        f"{result['backend']}: posted {result['claims']:,} claims ({result['file_mb']} MB 835,"
        f" {result['ledger_entries']:,} ledger entries) in {result['post_seconds']} s"
        f" (CPU {result['post_cpu_seconds']} s in the posting process):"
        f" {result['claims_per_second']:,} claims per second;"
        f" second import of the same file {result['second_import_seconds']} s, nothing posted"
    )
    print(f"  {json.dumps(result)}")


if __name__ == "__main__":
    main()
