"""`otclinic episode check FILE`: the episode check's command-line door (no database, no Django).

Exit status 0 means a decision was made (whatever it found); 2 means the input could not be
checked, with one line per problem on standard error naming the field.
"""

from typing import BinaryIO

import click

from otclinic.cli.doors import answer_json
from otclinic.domain.compliance.episode import check_episode_json


@click.group()
def episode() -> None:
    """Check an episode's documentation (no database)."""


@episode.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
def check(source: BinaryIO) -> None:
    """Check the episode in FILE (`-` for standard input) and print the answer as JSON."""
    answer_json(check_episode_json, source.read())
