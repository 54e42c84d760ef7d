"""Benchmark the ERA reader against pyx12 and linuxforhealth-x12 on the same 10,000-claim 835.

Run by hand or as a separate CI step (never as a timed test):

    .venv/bin/python bench/era_read.py                   # 10,000 claims, all three readers
    .venv/bin/python bench/era_read.py --claims 2000 --skip-pyx12

The file is synthetic and deterministic: the 1,000 claims of
tests/data/x12/large/x12sdk_835_1000.txt repeated with new patient control numbers,
with BPR02, SE01 and the provider adjustment recomputed so that the money balances and the
control counts are right. PER*BL is left out because linuxforhealth-x12 0.57.0 cannot read a
1000A loop that has it (its model expects a list and the file gives one segment); every reader
gets exactly the same bytes.

- otclinic: `read_era` on the text in this process, best of `--repeat` passes (as timeit does).
- pyx12 4.0.0 (in the project venv): `x12n_document`, parsing and validating against the
  005010X221A1 map, one pass.
- linuxforhealth-x12 0.57.0 (pydantic v1): installed into its own venv under var/bench/ (never
  into the project venv) and run as a subprocess that times `X12ModelReader(...).models()`
  inside that process, best of `--repeat` passes, so interpreter start-up is not counted.
- `otclinic era read FILE` as a user runs it: the whole command in a subprocess (interpreter
  start-up, reading, the JSON written to a file), best of `--repeat` runs; its CPU time is the
  child's user plus system time (`resource.getrusage(RUSAGE_CHILDREN)`). Timed twice: with its
  default compact JSON and with `--indent`. It is compared with linuxforhealth-x12's parse alone
  (no JSON, no start-up), which favours linuxforhealth-x12.
"""

import argparse
import gc
import io
import json
import os
import platform
import resource
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

from otclinic.domain.claims.x12.era import read_era

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tests" / "data" / "x12" / "large" / "x12sdk_835_1000.txt"
WORK = REPO / "var" / "bench"
LFH_VENV = WORK / "lfh-x12-venv"
LFH_REQUIREMENTS = ["linuxforhealth-x12==0.57.0", "pydantic>=1.10,<2"]

LFH_PROBE = textwrap.dedent(
    """
    import json, sys, time
    from linuxforhealth.x12.io import X12ModelReader

    def parse(path):
        claims = 0
        with X12ModelReader(path) as reader:
            for model in reader.models():
                claims += sum(len(header.loop_2100) for header in model.loop_2000)
        return claims

    wall, cpu = [], []
    for _ in range(int(sys.argv[2])):
        started, started_cpu = time.perf_counter(), time.process_time()
        claims = parse(sys.argv[1])
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(json.dumps({"wall": min(wall), "cpu": min(cpu), "claims": claims}))
    """
)


def generate(claims: int) -> str:
    """A balanced 835 with `claims` claims, built from the x12sdk sample's claims."""
    text = SOURCE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line]
    head = [
        line for line in lines[: lines.index(_first(lines, "LX*"))] if not line.startswith("PER*BL")
    ]
    body = lines[lines.index(_first(lines, "CLP*")) : lines.index(_first(lines, "PLB*"))]
    blocks = _claim_blocks(body)
    out_claims: list[str] = []
    for number in range(claims):
        block = blocks[number % len(blocks)]
        first = block[0].split("*")
        first[1] = f"PCN{number + 1:07d}"
        out_claims.extend(["*".join(first), *block[1:]])
    paid = sum(Decimal(line.split("*")[4]) for line in out_claims if line.startswith("CLP*"))
    adjustment = (paid * Decimal("0.02")).quantize(Decimal("0.01"))
    header = [
        _with_amount(line, paid - adjustment) if line.startswith("BPR*") else line for line in head
    ]
    plb = f"PLB*2877893281*20251231*WO:PCN0000357*{adjustment}~"
    transaction = [*header[2:], "LX*1~", *out_claims, plb]
    control = header[2].split("*")[2].rstrip("~")
    se = f"SE*{len(transaction) + 1}*{control}~"
    trailer = [line for line in lines if line.startswith(("GE*", "IEA*"))]
    return "\n".join([*header[:2], *transaction, se, *trailer]) + "\n"


def _first(lines: list[str], prefix: str) -> str:
    return next(line for line in lines if line.startswith(prefix))


def _claim_blocks(body: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    for line in body:
        if line.startswith("CLP*"):
            blocks.append([])
        blocks[-1].append(line)
    return blocks


def _with_amount(bpr: str, amount: Decimal) -> str:
    elements = bpr.split("*")
    elements[2] = str(amount)
    return "*".join(elements)


Timing = tuple[float, float]  # best wall-clock seconds, best CPU seconds


def time_otclinic(text: str, repeat: int) -> tuple[Timing, int]:
    wall, cpu, claims = float("inf"), float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        remittance = read_era(text)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
        claims = sum(len(t.claims) for t in remittance.transactions)
        off = [w for w in remittance.warnings if "PER*BL" not in w]  # left out on purpose
        if off:
            raise SystemExit(f"the generated file is off: {off[:3]}")
    return (wall, cpu), claims


def time_pyx12(text: str) -> tuple[Timing, int]:
    import pyx12.params
    import pyx12.x12n_document

    report = io.StringIO()
    started, started_cpu = time.perf_counter(), time.process_time()
    pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(),
        src_file=io.StringIO(text),
        fd_997=None,  # no acknowledgement: the parse and validation are what is timed
        fd_html=None,
        fd_json=report,
    )
    elapsed = (time.perf_counter() - started, time.process_time() - started_cpu)
    return elapsed, report.getvalue().count('"err_cde"')


def time_cli(path: Path, repeat: int, *options: str) -> Timing:
    """`otclinic era read [options] FILE > file`, best wall-clock and best CPU of `repeat` runs
    (after one run that is not counted, which warms the bytecode cache)."""
    command = [str(Path(sys.executable).with_name("otclinic")), "era", "read", *options, str(path)]
    wall, cpu = float("inf"), float("inf")
    with (WORK / "era_read.json").open("wb") as out:
        for run in range(repeat + 1):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, check=True)
            elapsed = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if run:
                wall, cpu = min(wall, elapsed), min(cpu, used)
    return wall, cpu


def lfh_python() -> Path:
    """The linuxforhealth-x12 venv's interpreter, created and filled on first use."""
    python = LFH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LFH_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *LFH_REQUIREMENTS], check=True)
    return python


def time_lfh(path: Path, repeat: int) -> tuple[Timing, int]:
    done = subprocess.run(
        [str(lfh_python()), "-c", LFH_PROBE, str(path), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        cwd=WORK,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return (float(answer["wall"]), float(answer["cpu"])), int(answer["claims"])


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in subprocess.run(
                ["lscpu"], capture_output=True, text=True, check=False
            ).stdout.splitlines()
            if line.startswith("Model name")
        ),
        "unknown",
    )
    load = os.getloadavg()[0]
    return (
        f"nproc={_nproc()}, CPU {model!r}, Python {platform.python_version()},"
        f" {time.strftime('%Y-%m-%d')}, load average {load:.2f}"
    )


def _nproc() -> str:
    return subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pyx12", action="store_true")
    parser.add_argument("--skip-lfh", action="store_true")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    text = generate(args.claims)
    path = WORK / f"era_{args.claims}.835"
    path.write_text(text, encoding="utf-8")
    print(f"machine: {machine()}")
    print(f"file: {path} ({len(text):,} bytes, {text.count(chr(10)):,} segments)")

    ours, claims = time_otclinic(text, args.repeat)
    _report("otclinic read_era", ours, claims)
    cli = time_cli(path, args.repeat)
    _report("otclinic era read CLI", cli, claims)
    cli_indent = time_cli(path, args.repeat, "--indent")
    _report("  ... with --indent", cli_indent, claims)
    if not args.skip_pyx12:
        timing, codes = time_pyx12(text)
        _report("pyx12 x12n_document", timing, args.claims, ours)
        print(f"  (pyx12's report holds {codes} error code(s))")
    if not args.skip_lfh:
        try:
            timing, lfh_claims = time_lfh(path, args.repeat)
        except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
            print(f"linuxforhealth-x12: could not run: {exc}")
        else:
            _report("linuxforhealth-x12", timing, lfh_claims, ours)
            _report("  ... against the CLI", timing, lfh_claims, cli)
            _report("  ... against --indent", timing, lfh_claims, cli_indent)
            print("  target: otclinic (the whole CLI with JSON) at least 10x faster")


def _report(name: str, timing: Timing, claims: int, ours: Timing | None = None) -> None:
    wall, cpu = timing
    line = f"{name:22} wall {wall:7.3f} s  CPU {cpu:7.3f} s  {claims / cpu:8,.0f} claims/CPU-s"
    if ours is not None:
        line += f"  otclinic {wall / ours[0]:.1f}x faster (wall), {cpu / ours[1]:.1f}x (CPU)"
    print(f"{line}  [{claims} claims]")


if __name__ == "__main__":
    main()
