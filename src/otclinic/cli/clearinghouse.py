"""`otclinic clearinghouse`: send the outbox, fetch and import the answers, write 276s for the
claims without an answer, and put files in the inbox, for one clinic.

Each acts as `--user` (a biller or clinic admin), or as the biller the clinic named for the
scheduled runs on the clearinghouse page. Exit 0 when done (connection problems are printed
and the files wait for the next run: exit 3), 1 when the user is unknown or may not, 2 when a
file given to `import` cannot be read.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

ORG = click.option("--organization", "org_slug", required=True, help="The clinic's slug.")
USER = click.option(
    "--user", "username", default="", help="Who acts (default: the clinic's scheduled biller)."
)


@click.group()
def clearinghouse() -> None:
    """The clearinghouse loop: send, fetch, claim status inquiries, inbox."""


def _as_user(org_slug: str, username: str, work: Callable[[Any], int]) -> None:
    from otclinic.cli.clinic import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied

    from otclinic.clinic.accounts.models import User
    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.clearinghouse.models import ClearinghouseProfile

    if username:
        user = User.objects.filter(username=username, organization__slug=org_slug).first()
    else:
        profile = ClearinghouseProfile.objects.filter(organization__slug=org_slug).first()
        user = profile.run_as if profile is not None else None
    if user is None:
        who = repr(username) if username else "named for scheduled runs"
        click.echo(f"error: no user {who} in organization {org_slug!r}", err=True)
        sys.exit(1)
    try:
        with acting_as(actor_for_user(user)):
            code = work(user)
    except PermissionDenied as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    sys.exit(code)


def _problems(problems: list[str]) -> int:
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    return 3 if problems else 0


@clearinghouse.command()
@ORG
@USER
def send(org_slug: str, username: str) -> None:
    """Upload the outbox to each payer's SFTP clearinghouse."""

    def work(user: Any) -> int:
        from otclinic.clinic.clearinghouse.transport import clearinghouse_send

        run = clearinghouse_send(user=user)
        click.echo(f"{len(run.sent)} sent, {len(run.waiting)} waiting to be sent by hand")
        for record in run.sent:
            click.echo(f"sent: {record.file_name}")
        return _problems(run.problems)

    _as_user(org_slug, username, work)


@clearinghouse.command()
@ORG
@USER
def fetch(org_slug: str, username: str) -> None:
    """Download the answers from each SFTP clearinghouse into the inbox and import them."""

    def work(user: Any) -> int:
        from otclinic.clinic.clearinghouse.transport import clearinghouse_fetch

        run = clearinghouse_fetch(user=user)
        click.echo(f"{len(run.received)} received")
        for record in [*run.imported.imported, *run.imported.failed]:
            click.echo(f"{record.file_name} ({record.kind or '?'}): {record.outcome}")
        return _problems(run.problems)

    _as_user(org_slug, username, work)


@clearinghouse.command(name="status-inquire")
@ORG
@USER
def status_inquire(org_slug: str, username: str) -> None:
    """Write 276s (into the outbox) for the claims without an answer after the clinic's days."""

    def work(user: Any) -> int:
        from otclinic.clinic.clearinghouse.status import status_inquire

        run = status_inquire(user=user)
        click.echo(f"{run.asked} claim(s) asked about")
        for record in run.files:
            click.echo(f"outbox: {record.file_name}")
        return _problems(run.problems)

    _as_user(org_slug, username, work)


@clearinghouse.command(name="import")
@click.argument(
    "paths",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@ORG
@USER
def import_files(paths: tuple[Path, ...], org_slug: str, username: str) -> None:
    """Put FILEs in the inbox and import it: each is recognised by its ST01 (999, 277CA, 277,
    271, 835)."""

    def work(user: Any) -> int:
        from otclinic.clinic.clearinghouse.inbox import inbox_import, inbox_receive

        for path in paths:
            inbox_receive(user=user, name=path.name, data=path.read_bytes())
        run = inbox_import(user=user)
        for record in run.imported:
            click.echo(f"{record.file_name} ({record.kind}): {record.outcome}")
        for record in run.failed:
            click.echo(f"error: {record.file_name}: {record.outcome}", err=True)
        return 2 if run.failed else 0

    _as_user(org_slug, username, work)
