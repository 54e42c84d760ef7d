"""What the engine's command-line doors share: JSON in, JSON out, exit 2 naming each problem."""

import sys
from collections.abc import Callable

import click

from otclinic.domain.compliance.findings import InputProblems


def answer_json(check: Callable[[bytes], bytes], raw: bytes) -> None:
    """Print `check(raw)` on standard output; on bad input, one problem a line and exit 2."""
    try:
        answer = check(raw)
    except InputProblems as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(2)
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()
