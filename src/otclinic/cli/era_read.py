"""`otclinic era read [--indent] FILE` without click: the command's work, and a start that
imports nothing else (click alone costs more start-up than reading a small file).

`run` takes the plain forms (`FILE`, `-`, with or without `--indent`); anything else (`--help`,
a file that cannot be opened, unknown options) it leaves to the click command (`cli.era`),
which calls `read_and_print` all the same.
"""

import gc
import os
import sys


def run_and_exit(args: list[str]) -> None:
    """`run`, then end the process at once with its status; returns when click is to handle
    `args`. The reader makes tens of thousands of objects and no garbage cycles: the cyclic
    collector is kept out of the way, and the process ends without freeing each object one by
    one (the output is flushed first)."""
    gc.disable()
    status = run(args)
    gc.enable()
    if status is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def run(args: list[str]) -> int | None:
    """The exit status of `era read` with `args`, or None for click to handle them."""
    indent = "--indent" in args
    rest = [arg for arg in args if arg != "--indent"]
    if len(rest) != 1 or len(args) - len(rest) > 1:
        return None
    path = rest[0]
    if path == "-":
        return read_and_print(sys.stdin.buffer.read(), indent=indent)
    if path.startswith("-"):
        return None
    try:
        with open(path, "rb") as source:
            raw = source.read()
    except OSError:
        return None  # click names the file and why it cannot be opened
    return read_and_print(raw, indent=indent)


def read_and_print(raw: bytes, *, indent: bool) -> int:
    """Print the remittance in `raw` as the contract's JSON (warnings to standard error): 0;
    or one line on standard error when it cannot be read as an 835: 2."""
    from otclinic.domain.claims.x12.era import EraError, read_era_bytes

    try:
        remittance = read_era_bytes(raw)
    except EraError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if remittance.warnings:
        sys.stderr.write("".join(f"WARNING: {warning}\n" for warning in remittance.warnings))
    if indent:
        from otclinic.domain.claims.x12.era import remittance_as_json
        from otclinic.domain.compliance.jsonio import dump_bytes

        data = dump_bytes(remittance_as_json(remittance))
    else:
        from otclinic.domain.claims.x12.era_json import compact_json

        data = (compact_json(remittance) + "\n").encode("utf-8")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
