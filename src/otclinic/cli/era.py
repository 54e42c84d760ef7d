"""`otclinic era read FILE`: the ERA reader's command-line door (no database, no Django).

Exit status 0: the remittance is printed as the contract's JSON on standard output, with any
warnings (missing BPR16 or PER*BL, money that does not balance) on standard error. Exit status 2:
the file could not be read as an 835; one line on standard error names the segment and its
position, and nothing goes to standard output.
"""

import sys
from typing import BinaryIO

import click

from otclinic.domain.claims.x12.era import EraError, read_era_bytes, remittance_as_json
from otclinic.domain.compliance.jsonio import dump_bytes


@click.group()
def era() -> None:
    """Read electronic remittance advice (X12 835, no database)."""


@era.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
def read(source: BinaryIO) -> None:
    """Read the 835 in FILE (`-` for standard input) and print it as JSON."""
    try:
        remittance = read_era_bytes(source.read())
    except EraError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for warning in remittance.warnings:
        click.echo(f"WARNING: {warning}", err=True)
    sys.stdout.buffer.write(dump_bytes(remittance_as_json(remittance)))
    sys.stdout.buffer.flush()
