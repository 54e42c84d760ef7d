"""`otclinic billing check FILE`: the billing check's command-line door (no database, no Django).

Exit status 0 means a decision was made, billable or not; 2 means the input could not be checked,
with one line per problem on standard error naming the field and nothing on standard output.
"""

import sys

import click

from otclinic.domain.billing import check_visit_json
from otclinic.domain.compliance.findings import InputProblems


@click.group()
def billing() -> None:
    """Check a visit's billing (no database)."""


@billing.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
def check(source: click.utils.LazyFile) -> None:
    """Check the visit in FILE (`-` for standard input) and print the decision as JSON."""
    try:
        answer = check_visit_json(source.read())
    except InputProblems as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(2)
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()
