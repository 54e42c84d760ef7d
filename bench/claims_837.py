"""Benchmark the 837P writer against pyx12 validating the same file, side by side in one run.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/claims_837.py                      # 10,000 claims x 4 lines
    .venv/bin/python bench/claims_837.py --claims 1000 --repeat 1

The claims come from the seeded generator the tests use (tests/domain/claims/p837/synthetic.py):
OT lines with GO, CO, KX and 59, dependants, secondary claims with line adjudication, voids and
corrections, mixed payers. Building the claim facts is not timed; `write_interchange` is, input
checks included. Generation is timed `--repeat` times and the best pass reported (as timeit
does); pyx12 validates the file once, through its Python API, and its JSON report must hold no
error. Everything runs in one process on one core. Wall-clock and CPU (process) times are both
reported: on a shared machine the wall clock also measures the other processes.
"""

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the seeded generator and the pyx12 check live with the tests

from tests.domain.claims.p837.pyx12_check import validate  # noqa: E402
from tests.domain.claims.p837.samples import ENVELOPE  # noqa: E402
from tests.domain.claims.p837.synthetic import ClaimGenerator  # noqa: E402

from otclinic.domain.claims.x12.p837 import ControlNumbers, write_interchange  # noqa: E402

CREATED_AT = datetime(2025, 11, 3, 8, 0, tzinfo=UTC)
NUMBERS = ControlNumbers(interchange=1, group=1, transaction=1)


def machine() -> dict[str, str]:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in lscpu.splitlines()
                if line.startswith("Model name")
            ),
            "",
        )
    except OSError:
        model = platform.processor()
    return {
        "cpu": model,
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def time_generation(claims: list, *, repeat: int) -> tuple[float, float, str]:  # type: ignore[type-arg]
    """The best wall-clock and the best CPU time of `repeat` passes, and the file written."""
    best, best_cpu = float("inf"), float("inf")
    text = ""
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        text = write_interchange(
            claims=claims, envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
        ).text
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=837)
    parser.add_argument("--output", type=Path, help="also write the generated file here")
    args = parser.parse_args()

    claims = ClaimGenerator(seed=args.seed).claims(args.claims, lines=args.lines)
    generation, generation_cpu, text = time_generation(claims, repeat=args.repeat)
    if args.output:
        args.output.write_text(text, encoding="ascii")
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = validate(text)
    validation = time.perf_counter() - start
    validation_cpu = time.process_time() - start_cpu

    report = {
        "claims": args.claims,
        "lines_per_claim": args.lines,
        "segments": text.count("~"),
        "bytes": len(text),
        "generation_seconds_best_of": args.repeat,
        "generation_seconds": round(generation, 3),
        "generation_cpu_seconds": round(generation_cpu, 3),
        "generation_claims_per_second": round(args.claims / generation),
        "pyx12_validation_seconds": round(validation, 2),
        "pyx12_validation_cpu_seconds": round(validation_cpu, 2),
        "pyx12_claims_per_second": round(args.claims / validation),
        "pyx12_errors": len(result.errors),
        "pyx12_accepted": result.accepted,
        "speedup": round(validation / generation, 1),
        "speedup_cpu": round(validation_cpu / generation_cpu, 1),
        "target_met (>= 10x)": validation / generation >= 10,
        "machine": machine(),
    }
    print(json.dumps(report, indent=2))
    if result.errors:
        print("\n".join(result.errors[:20]), file=sys.stderr)
        sys.exit(f"pyx12 found {len(result.errors)} errors in the generated file")


if __name__ == "__main__":
    main()
