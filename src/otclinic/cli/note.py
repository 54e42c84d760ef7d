"""`otclinic note shorthand -`: clinician shorthand read into a note's facts (no database,
unless `--organization` asks for an organization's own table).

Exit status 0 with one JSON object per line; 2 when the input cannot be read, with one line per
problem on standard error naming the line.
"""

import functools
import sys
from pathlib import Path
from typing import Any, BinaryIO

import click

from otclinic.cli.doors import answer_json
from otclinic.domain.care.shorthand import (
    ClinicPhrase,
    TableError,
    Writer,
    clinic_table,
    lexicon_from,
    read_table,
)
from otclinic.domain.care.shorthand.jsonio import shorthand_json


@click.group()
def note() -> None:
    """Work with treatment notes without the database."""


@note.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
@click.option(
    "--role",
    type=click.Choice([w.value for w in Writer]),
    default=Writer.OTA.value,
    show_default=True,
    help="Who writes: their minutes are the ones not given to anyone else.",
)
@click.option(
    "--table",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="A clinic's own shorthand table (YAML, the shape of care/data/shorthand.yaml).",
)
@click.option(
    "--organization",
    "org_slug",
    help="Read with this organization's own shorthand (its slug; needs the database).",
)
def shorthand(source: BinaryIO, role: str, table: tuple[Path, ...], org_slug: str | None) -> None:
    """Read shorthand lines from FILE (`-` for standard input); print one JSON object per line.

    The shipped table, then the organization's own phrases (`--organization`), then each
    `--table`: a later one wins where a phrase is spelt the same."""
    try:
        clinic = _organization_table(org_slug) if org_slug else {}
        lexicon = lexicon_from(clinic, *(read_table(p) for p in table))
    except TableError as exc:
        click.echo(f"--table: {exc}", err=True)
        sys.exit(2)
    answer_json(
        functools.partial(shorthand_json, writer=Writer(role), lexicon=lexicon), source.read()
    )


def _organization_table(slug: str) -> dict[str, Any]:
    """The organization's own shorthand entries as a table; exit 1 for an unknown slug."""
    from otclinic.cli.clinic import setup_django

    setup_django()
    from otclinic.clinic.care.models import ShorthandEntry
    from otclinic.clinic.organizations.models import Organization

    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        click.echo(f"error: no organization {slug!r}", err=True)
        sys.exit(1)
    entries = ShorthandEntry.objects.for_org(organization)
    return clinic_table(ClinicPhrase(e.phrase, e.kind, e.value, e.category) for e in entries)
