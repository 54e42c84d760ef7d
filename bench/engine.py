"""Benchmark the billing check: visits per second through the public Python function, and the
CLI's start-up time for one visit.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/engine.py            # 100,000 visits x 3 passes, 20 CLI runs
    .venv/bin/python bench/engine.py --visits 20000 --repeat 1 --cli-runs 5

The best of the passes is reported (as timeit does): on a shared machine the slower passes
measure the other processes too.

Visits are generated from a fixed seed: 1-5 lines each, mixed payers, disciplines and settings,
timed and untimed codes, therapist, assistant and together minutes, allowed amounts and
year-to-date amounts around the KX threshold. The whole run is on one core (one process).
"""

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from otclinic.domain.billing import ServiceLine, Visit, check_visit, check_visit_json
from otclinic.domain.codes import Discipline, PayerPlan, Setting

TIMED = ["97110", "97112", "97140", "97530", "97535", "97537", "97542", "97129", "97130"]
UNTIMED = ["97150", "97165", "97168", "G0283", "97010", "97018"]
SAMPLE = Path(__file__).resolve().parent.parent / "tests/domain/billing/data/contract_example.json"


def generate_line(rng: random.Random) -> ServiceLine:
    code = rng.choice(TIMED) if rng.random() < 0.8 else rng.choice(UNTIMED)
    return ServiceLine(
        code=code,
        therapist_minutes=rng.randint(0, 40),
        assistant_minutes=rng.choice([0, 0, rng.randint(1, 40)]),
        together_minutes=rng.choice([0, 0, 0, rng.randint(1, 15)]),
        allowed_amount=Decimal(rng.randint(2000, 4500)) / 100,
        separate_time_block=rng.random() < 0.2,
    )


def generate_visit(rng: random.Random) -> Visit:
    return Visit(
        date_of_service=date(2022, 1, 1) + timedelta(days=rng.randint(0, 5 * 365)),
        payer_plan=rng.choice(list(PayerPlan)),
        lines=tuple(generate_line(rng) for _ in range(rng.randint(1, 5))),
        discipline=rng.choice([Discipline.OT] * 4 + [Discipline.PT]),
        setting=rng.choice([Setting.PRIVATE_PRACTICE] * 5 + list(Setting)),
        ytd_allowed=Decimal(rng.randint(0, 320000)) / 100,
    )


def bench_python(count: int, seed: int, repeat: int) -> dict[str, float]:
    rng = random.Random(seed)
    visits = [generate_visit(rng) for _ in range(count)]
    check_visit(visits[0])  # load the rule files once, as a long-running process would
    # The input visits are not part of the work measured: keep the garbage collector from
    # walking them again and again, as it would not in a server checking one visit at a time.
    gc.freeze()
    passes = [_one_pass(visits) for _ in range(repeat)]
    best = min(passes, key=lambda p: p["cpu_seconds"])
    return {
        "visits": count,
        "passes": repeat,
        "billable_of_first_1000": sum(check_visit(v).billable for v in visits[:1000]),
        **best,
        "per_second_cpu_each_pass": [p["per_second_cpu"] for p in passes],
    }


def _one_pass(visits: list[Visit]) -> dict[str, float]:
    # CPU time of this process as well as wall time: on a shared machine the wall clock also
    # counts the time other processes held the core.
    wall, cpu = time.perf_counter(), time.process_time()
    for visit in visits:
        check_visit(visit)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "per_second_wall": round(len(visits) / wall),
        "per_second_cpu": round(len(visits) / cpu),
    }


def bench_json(count: int) -> dict[str, float]:
    raw = SAMPLE.read_bytes()
    check_visit_json(raw)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        check_visit_json(raw)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "documents": count,
        "per_second_wall": round(count / wall),
        "per_second_cpu": round(count / cpu),
    }


def bench_cli(runs: int) -> dict[str, float]:
    command = [str(Path(sys.executable).parent / "otclinic"), "billing", "check", str(SAMPLE)]
    subprocess.run(command, capture_output=True, check=True)  # warm the bytecode cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {
        "runs": runs,
        "median": round(statistics.median(times), 3),
        "min": round(min(times), 3),
        "max": round(max(times), 3),
    }


def machine() -> dict[str, str]:
    """What the figures were measured on (`lscpu`'s model name is /proc/cpuinfo's)."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for row in cpuinfo.read_text().splitlines():
            if row.startswith("model name"):
                model = row.split(":", 1)[1].strip()
                break
    return {
        "date": date.today().isoformat(),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--cli-runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best one is reported")
    args = parser.parse_args()
    report = {
        "machine": machine(),
        "check_visit": bench_python(args.visits, args.seed, args.repeat),
        "check_visit_json": bench_json(min(args.visits, 20_000)),
        "cli_startup_seconds": bench_cli(args.cli_runs),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
