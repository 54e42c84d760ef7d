"""`otclinic episode check FILE`: the episode check's command-line door (no database, no Django).

Exit status 0 means a decision was made (whatever it found); 2 means the input could not be
checked, with one line per problem on standard error naming the field.
"""

import sys

import click

from otclinic.domain.compliance.episode import check_episode_json
from otclinic.domain.compliance.findings import InputProblems


@click.group()
def episode() -> None:
    """Check an episode's documentation (no database)."""


@episode.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
def check(source: click.utils.LazyFile) -> None:
    """Check the episode in FILE (`-` for standard input) and print the answer as JSON."""
    try:
        answer = check_episode_json(source.read())
    except InputProblems as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(2)
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()
