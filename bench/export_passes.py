"""Benchmark the 837P export alone, pass after pass on one billed clinic, and keep its files.

Run by hand (never as a timed test):

    .venv/bin/python bench/export_passes.py --database NAME --prepare     # bill once, keep
    .venv/bin/python bench/export_passes.py --database NAME --passes 5 --save-files DIR

`--prepare` bills the demo clinic in database NAME on the PostgreSQL server at
$BENCH_POSTGRES_URL (a copy of a seed kept by `bench/billing_run.py --keep-seeded`): charges,
assembly, scrub, and the clean claims marked ready, committed. Each pass then exports every ready
claim as the demo biller (`claims_export`), as of a fixed time, and rolls back: every pass, and
every version of the code (another checkout on PYTHONPATH), exports the same claims with the same
patient control numbers, so their files can be compared byte for byte (`--save-files` writes the
last pass's files, `N.x12`). Each pass reports wall and CPU time and the garbage collector's
collections during it (`gc.callbacks`); the best pass is reported as timeit does.
"""

import argparse
import gc
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
EXPORT_NOW = "2026-12-03T10:00:00-05:00"  # the test suite's clock


def setup(database: str, media: str) -> None:
    admin = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    os.environ.update(
        DATABASE_URL=urlunsplit(urlsplit(admin)._replace(path=f"/{database}")),
        DEBUG="1",
        AXES_ENABLED="0",
        MEDIA_ROOT=media,  # the rolled-back passes' files go to a directory removed at the end
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otclinic.config.settings")
    import django

    django.setup()


def prepare(user) -> None:  # type: ignore[no-untyped-def]
    from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
    from otclinic.clinic.revenue.claim_assembly import claims_assemble
    from otclinic.clinic.revenue.models import Claim, ClaimStatus
    from otclinic.clinic.revenue.scrubber import claims_scrub

    charges_create_for_signed_notes(user=user)
    claims_assemble(user=user)
    clean = claims_scrub(user=user).clean
    Claim.objects.filter(pk__in=[c.pk for c in clean]).update(status=ClaimStatus.READY)
    print(f"{len(clean)} claims ready")


def passes(user, count: int, save_files: str | None) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from otclinic.clinic.revenue.export import claims_export

    now = datetime.fromisoformat(EXPORT_NOW)
    collections: list[tuple[str, int, float]] = []
    gc.callbacks.append(
        lambda phase, info: collections.append((phase, info["generation"], time.process_time()))
    )
    best_wall = best_cpu = float("inf")
    texts: list[str] = []
    for number in range(count):
        collections.clear()
        with transaction.atomic():
            wall, cpu = time.perf_counter(), time.process_time()
            batches = claims_export(user=user, now=now)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            texts = [batch.read_text() for batch in batches]
            transaction.set_rollback(True)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        print(f"pass {number + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU; {_collections(collections)}")
    print(
        f"best: {best_wall:.3f} s wall, {best_cpu:.3f} s CPU; {len(texts)} files, "
        f"{sum(len(text) for text in texts):,} bytes"
    )
    if save_files:
        Path(save_files).mkdir(parents=True, exist_ok=True)
        for number, text in enumerate(texts):
            (Path(save_files) / f"{number}.x12").write_text(text)


def _collections(events: list[tuple[str, int, float]]) -> str:
    starts = [(generation, at) for phase, generation, at in events if phase == "start"]
    stops = [at for phase, _, at in events if phase == "stop"]
    seconds = sum(stop - start for (_, start), stop in zip(starts, stops, strict=False))
    full = sum(1 for generation, _ in starts if generation == 2)
    return f"{len(starts)} collections ({full} full), {seconds:.3f} s CPU in them"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a copy of a kept seed")
    parser.add_argument("--prepare", action="store_true", help="bill the clinic, keep it")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--save-files", metavar="DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otclinic-bench-media-") as media:
        setup(args.database, media)
        run(args)


def run(args: argparse.Namespace) -> None:
    from otclinic.clinic.accounts.models import User

    user = User.objects.get(username="biller.demo")
    if args.prepare:
        prepare(user)
    else:
        passes(user, args.passes, args.save_files)


if __name__ == "__main__":
    sys.exit(main())
