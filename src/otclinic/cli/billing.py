"""`otclinic billing check FILE`: the billing check's command-line door (no database, no Django).

Exit status 0 means a decision was made, billable or not; 2 means the input could not be checked,
with one line per problem on standard error naming the field and nothing on standard output.
"""

import click

from otclinic.cli.doors import answer_json
from otclinic.domain.billing import check_visit_json


@click.group()
def billing() -> None:
    """Check a visit's billing (no database)."""


@billing.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
def check(source: click.utils.LazyFile) -> None:
    """Check the visit in FILE (`-` for standard input) and print the decision as JSON."""
    answer_json(check_visit_json, source.read())
