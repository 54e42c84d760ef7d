"""`otclinic billing check FILE`: the billing check's command-line door (no database, no Django).

Exit status 0 means a decision was made, billable or not; 2 means the input could not be checked,
with one line per problem on standard error naming the field and nothing on standard output.
`--codes CODES.yaml` adds a clinic's own codes, in the format of rules/billing_codes.yaml, as the
Billing codes page does for the clinic's organization.
"""

import functools
import sys
from pathlib import Path
from typing import BinaryIO

import click
import yaml

from otclinic.cli.doors import answer_json
from otclinic.domain.billing import check_visit_json
from otclinic.domain.billing.codebook import CodeTableError, load_code_table
from otclinic.domain.billing.rulebook import (
    RuleBook,
    check_local_codes,
    default_rulebook,
    with_local_codes,
)


@click.group()
def billing() -> None:
    """Check a visit's billing (no database)."""


@billing.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
@click.option(
    "--codes",
    "codes_file",
    metavar="CODES.yaml",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The clinic's own codes, in the format of rules/billing_codes.yaml.",
)
def check(source: BinaryIO, codes_file: Path | None) -> None:
    """Check the visit in FILE (`-` for standard input) and print the decision as JSON."""
    book = _book(codes_file) if codes_file else None
    answer_json(functools.partial(check_visit_json, rulebook=book), source.read())


def _book(path: Path) -> RuleBook:
    """The shipped tables with the codes of `path` added; exit 2 naming the field if it is bad."""
    shipped = default_rulebook()
    try:
        table = load_code_table(path, local=True)
        check_local_codes(shipped, table, name=path.name)
    except (CodeTableError, yaml.YAMLError, ValueError) as exc:  # ValueError: not a mapping
        click.echo(f"--codes: {exc}", err=True)
        sys.exit(2)
    return with_local_codes(shipped, table)
