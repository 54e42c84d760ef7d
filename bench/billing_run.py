"""Benchmark billing the whole demo clinic on PostgreSQL: charges, assembly, scrub, 837P export.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/billing_run.py                  # scale 1 and scale 5
    .venv/bin/python bench/billing_run.py --scales 1 --pyx12

For each scale a fresh temporary database is made on the PostgreSQL server at
$BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrated and seeded
once with the demo clinic (`otclinic demo seed --scale N`; not timed), and dropped afterwards.
`--keep-seeded` keeps each seeded database as `<prefix>_seedN` and `--from-seeded` bills a copy
of it (CREATE DATABASE ... TEMPLATE), so that two versions of the code can bill the same seeded
clinic; `--prefix` (default `otclinic_billing_speed_bench`) names these databases, so that two
people can bench on one server. (`bench/export_passes.py` times the export alone on one billed
copy and keeps its files, to compare two versions byte for byte.) Each billing runs in a child process, so that Django is set
up against that database alone.

The stages call the same service functions as the background jobs (revenue/job_runners.py),
as the demo biller: `charges_create_for_signed_notes`, `claims_assemble`, `claims_scrub`, then the
claims without errors are marked ready in one UPDATE (as a biller marking them ready would) and
`claims_export` writes one 837P file per payer. Each stage reports wall-clock and CPU time
(`time.process_time` of the child; the database server's own CPU is not in it). With `--pyx12`,
pyx12 4.0.0 then validates the exact bytes of every file the export wrote, through its Python
API, in the same process: the export is timed against that validation side by side.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
PREFIX = "otclinic_billing_speed_bench"


def timed(stage: str, results: dict[str, object], work):  # type: ignore[no-untyped-def]
    """Run `work()`, record its wall and CPU seconds under `stage`, and return its result."""
    started, started_cpu = time.perf_counter(), time.process_time()
    value = work()
    results[f"{stage}_seconds"] = round(time.perf_counter() - started, 2)
    results[f"{stage}_cpu_seconds"] = round(time.process_time() - started_cpu, 2)
    return value


def run_child(scale: int, *, seed: bool, pyx12: bool) -> dict[str, object]:
    """In the child: seed when asked (not timed), then bill the clinic stage by stage."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    results: dict[str, object] = {"scale": scale}
    call_command("migrate", "--no-input", verbosity=0)  # a kept seed may predate a migration
    if seed:
        from otclinic.clinic.demo.seed import seed_demo

        # Without the demo's own billed month (scale 1 has one): the whole clinic is billed here.
        seeded = seed_demo(scale=scale, revenue=False)
        results["seed_seconds"] = round(seeded.seconds, 1)
    from otclinic.clinic.accounts.models import User
    from otclinic.clinic.care.models import TreatmentNote
    from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
    from otclinic.clinic.revenue.claim_assembly import claims_assemble
    from otclinic.clinic.revenue.export import claims_export
    from otclinic.clinic.revenue.models import Claim, ClaimStatus

    claims_scrub = _scrub_service()
    user = User.objects.get(username="biller.demo")
    results["visits"] = TreatmentNote.objects.count()
    run = timed("charges", results, lambda: charges_create_for_signed_notes(user=user))
    results["notes_billed"], results["charges"] = run.notes_billed, run.charges_created
    results["notes_left_aside"] = len(run.skipped)
    claims = timed("assemble", results, lambda: claims_assemble(user=user))
    results["claims_assembled"] = len(claims)
    scrub = timed("scrub", results, lambda: claims_scrub(user=user))
    results["claims_clean"] = len(scrub.clean)
    timed(
        "mark_ready",
        results,
        lambda: Claim.objects.filter(pk__in=[c.pk for c in scrub.clean]).update(
            status=ClaimStatus.READY
        ),
    )
    batches = timed("export", results, lambda: claims_export(user=user))
    results["files"] = len(batches)
    results["claims_exported"] = sum(b.claims.count() for b in batches)
    stages = ("charges", "assemble", "scrub", "mark_ready", "export")
    results["total_seconds"] = round(sum(float(results[f"{s}_seconds"]) for s in stages), 2)  # type: ignore[arg-type]
    results["total_cpu_seconds"] = round(
        sum(float(results[f"{s}_cpu_seconds"]) for s in stages),  # type: ignore[arg-type]
        2,
    )
    if pyx12:
        results.update(validate_files([b.read_text() for b in batches], results))
    return results


def _scrub_service():  # type: ignore[no-untyped-def]
    """`claims_scrub`, or for code from before it existed (a "before" run with PYTHONPATH
    pointing at an older export) the scrub job's own loop over `scrub_claim` at that time."""
    try:
        from otclinic.clinic.revenue.scrubber import claims_scrub
    except ImportError:
        from types import SimpleNamespace

        from otclinic.clinic.revenue import selectors
        from otclinic.clinic.revenue.models import ClaimStatus
        from otclinic.clinic.revenue.scrubber import blocking, scrub_claim

        def claims_scrub(*, user):  # type: ignore[no-untyped-def]
            drafts = list(selectors.claims_for_user(user=user, status=ClaimStatus.DRAFT))
            clean = [claim for claim in drafts if not blocking(scrub_claim(claim))]
            return SimpleNamespace(scrubbed=len(drafts), clean=clean)

    return claims_scrub


def validate_files(texts: list[str], results: dict[str, object]) -> dict[str, object]:
    """pyx12's validation of every exported file, timed like the export."""
    sys.path.insert(0, str(ROOT))
    from tests.domain.claims.p837.pyx12_check import validate

    started, started_cpu = time.perf_counter(), time.process_time()
    checked = [validate(text) for text in texts]
    wall = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    errors = sum(len(result.errors) for result in checked)
    return {
        "export_bytes": sum(len(text) for text in texts),
        "pyx12_seconds": round(wall, 2),
        "pyx12_cpu_seconds": round(cpu, 2),
        "pyx12_errors": errors,
        "pyx12_accepted": all(result.accepted for result in checked),
        "pyx12_over_export": round(wall / float(results["export_seconds"]), 1),  # type: ignore[arg-type]
        "pyx12_over_export_cpu": round(cpu / float(results["export_cpu_seconds"]), 1),  # type: ignore[arg-type]
    }


def child(url: str, scale: int, *, seed: bool, pyx12: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="otclinic-bench-media-") as media:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "1",
            "AXES_ENABLED": "0",
            "MEDIA_ROOT": media,
        }
        cmd = [sys.executable, __file__, "--child", "--scale", str(scale)]
        cmd += ["--seed-here"] if seed else []
        cmd += ["--pyx12"] if pyx12 else []
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench(scale: int, admin_url: str, args: argparse.Namespace) -> dict[str, object]:
    import psycopg

    admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    name = f"{args.prefix}_{os.getpid()}_{scale}"
    url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    seeded = f"{args.prefix}_seed{scale}"
    with admin:
        if args.from_seeded:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{seeded}"')
        else:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            if not args.from_seeded and args.keep_seeded:
                # Seed the kept database, then bill a copy of it.
                admin.execute(f'DROP DATABASE IF EXISTS "{seeded}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{seeded}"')
                seed_url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{seeded}"))
                _seed_only(seed_url, scale)
                admin.execute(f'DROP DATABASE "{name}"')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{seeded}"')
                return child(url, scale, seed=False, pyx12=args.pyx12)
            return child(url, scale, seed=not args.from_seeded, pyx12=args.pyx12)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed_only(url: str, scale: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "AXES_ENABLED": "0"}
    cmd = [sys.executable, __file__, "--child", "--seed-only", "--scale", str(scale)]
    subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)


def seed_only(scale: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from otclinic.clinic.demo.seed import seed_demo

    call_command("migrate", "--no-input", verbosity=0)
    seed_demo(scale=scale, revenue=False)  # the whole clinic is billed by the bench


def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    model = next(
        (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line),
        platform.processor(),
    )
    return f"nproc {os.cpu_count()}, {model}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,5")
    parser.add_argument("--pyx12", action="store_true", help="validate the files with pyx12")
    parser.add_argument("--keep-seeded", action="store_true")
    parser.add_argument("--from-seeded", action="store_true")
    parser.add_argument("--prefix", default=PREFIX, help="name of the bench databases")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed-here", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.seed_only:
        seed_only(args.scale)
        return
    if args.child:
        print(json.dumps(run_child(args.scale, seed=args.seed_here, pyx12=args.pyx12)))
        return
    admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    for scale in (int(s) for s in args.scales.split(",")):
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        load = "/".join(f"{x:.2f}" for x in os.getloadavg())
        result = bench(scale, admin_url, args)
        print(f"{started}, load {load}, {machine()}")
        print(
            f"scale {scale}: {result['visits']:,} visits, {result['charges']:,} charges, "
            f"{result['claims_assembled']:,} claims ({result['claims_exported']:,} exported "
            f"in {result['files']} files): charges {result['charges_seconds']} s, assemble "
            f"{result['assemble_seconds']} s, scrub {result['scrub_seconds']} s, mark ready "
            f"{result['mark_ready_seconds']} s, export {result['export_seconds']} s; total "
            f"{result['total_seconds']} s wall, {result['total_cpu_seconds']} s CPU"
        )
        print(f"  {json.dumps(result)}")


if __name__ == "__main__":
    main()
