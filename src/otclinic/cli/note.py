"""`otclinic note shorthand -`: clinician shorthand read into a note's facts (no database).

Exit status 0 with one JSON object per line; 2 when the input cannot be read, with one line per
problem on standard error naming the line.
"""

import functools
import sys
from pathlib import Path
from typing import BinaryIO

import click

from otclinic.cli.doors import answer_json
from otclinic.domain.care.shorthand import TableError, Writer, lexicon_from, read_table
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
def shorthand(source: BinaryIO, role: str, table: tuple[Path, ...]) -> None:
    """Read shorthand lines from FILE (`-` for standard input); print one JSON object per line."""
    try:
        lexicon = lexicon_from(*(read_table(p) for p in table))
    except TableError as exc:
        click.echo(f"--table: {exc}", err=True)
        sys.exit(2)
    answer_json(
        functools.partial(shorthand_json, writer=Writer(role), lexicon=lexicon), source.read()
    )
