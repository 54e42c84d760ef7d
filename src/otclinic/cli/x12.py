"""`otclinic x12 read FILE` and `otclinic x12 write-270 JSON` / `write-276 JSON` (no database).

`x12 read`: exit status 0: the file (a 999, 277CA, 277, 271 or 835, told apart by its ST01 and
ST03 or GS08) is printed as JSON on standard output, with any warnings on standard error.
Exit status 2: the file could not be read; one line on standard error names the segment and
its position, and nothing goes to standard output.

`x12 write-270` and `write-276`: exit status 0: the X12 file on standard output (or --output)
and the control numbers to use next on standard error. Exit status 2: the input is refused;
each problem is a line on standard error naming its field. The input is described in
`otclinic.domain.claims.x12.inquiry_input` and docs/clearinghouse.md.
"""

import json
import sys
from collections.abc import Callable
from typing import Any, BinaryIO, NoReturn, TextIO

import click

from otclinic.domain.claims.x12.inquiry import InvalidInquiry, WrittenFile
from otclinic.domain.claims.x12.inquiry270 import write_270
from otclinic.domain.claims.x12.inquiry276 import write_276
from otclinic.domain.claims.x12.inquiry_input import (
    InputError,
    read_270_input,
    read_276_input,
    read_common,
)
from otclinic.domain.claims.x12.interchange import ControlNumberError
from otclinic.domain.claims.x12.read_any import read_x12_bytes
from otclinic.domain.claims.x12.tokens import X12ReadError
from otclinic.domain.compliance.jsonio import dump_bytes


@click.group()
def x12() -> None:
    """Read clearinghouse files (999, 277CA, 277, 271, 835); write 270 and 276 inquiries."""


@x12.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
def read(source: BinaryIO) -> None:
    """Read the X12 file FILE (`-` for standard input) and print it as JSON."""
    try:
        document = read_x12_bytes(source.read())
    except X12ReadError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for warning in document.warnings:
        click.echo(f"WARNING: {warning}", err=True)
    sys.stdout.buffer.write(dump_bytes(document.document))
    sys.stdout.buffer.flush()


@x12.command(name="write-270")
@click.argument("source", metavar="JSON", type=click.File("r", encoding="utf-8"))
@click.option(
    "--output", type=click.File("w", encoding="ascii"), default="-", help="Where to write."
)
def write_270_command(source: TextIO, output: TextIO) -> None:
    """Write a 270 eligibility inquiry from the JSON input JSON (`-` for standard input)."""
    _write(
        source,
        output,
        lambda document, **common: write_270(batches=read_270_input(document), **common),
    )


@x12.command(name="write-276")
@click.argument("source", metavar="JSON", type=click.File("r", encoding="utf-8"))
@click.option(
    "--output", type=click.File("w", encoding="ascii"), default="-", help="Where to write."
)
def write_276_command(source: TextIO, output: TextIO) -> None:
    """Write a 276 claim status inquiry from the JSON input JSON (`-` for standard input)."""
    _write(
        source,
        output,
        lambda document, **common: write_276(batches=read_276_input(document), **common),
    )


def _write(source: TextIO, output: TextIO, write: Callable[..., WrittenFile]) -> None:
    try:
        document: Any = json.load(source)
        envelope, numbers, created_at = read_common(document)
        written = write(document, envelope=envelope, numbers=numbers, created_at=created_at)
    except json.JSONDecodeError as exc:
        _refuse([f"the input is not JSON: {exc}"])
    except InvalidInquiry as exc:
        _refuse([str(problem) for problem in exc.problems])
    except (InputError, ControlNumberError) as exc:
        _refuse([str(exc)])
    output.write(written.text)
    output.flush()
    following = written.next_numbers
    click.echo(
        f"next control numbers: interchange {following.interchange}, group {following.group},"
        f" transaction {following.transaction}",
        err=True,
    )


def _refuse(problems: list[str]) -> NoReturn:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(2)


@x12.command(name="import-277ca")
@click.argument("source", metavar="FILE", type=click.File("rb"))
@click.option("--organization", "org_slug", required=True, help="The clinic's organization slug.")
@click.option("--user", "username", required=True, help="Who imports (a biller or clinic admin).")
def import_277ca(source: BinaryIO, org_slug: str, username: str) -> None:
    """Import the claim acknowledgment (277CA) in FILE: accepted claims to Accepted, rejected
    ones to Rejected and the work queue. Exit 0 when read (a file imported before changes
    nothing), 2 when it is not a readable 277CA, 1 when the user is unknown or may not import."""
    from otclinic.cli.clinic import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied

    from otclinic.clinic.accounts.models import User
    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.revenue.acknowledgments import AcknowledgmentError, acknowledgment_import

    user = User.objects.filter(username=username, organization__slug=org_slug).first()
    if user is None:
        click.echo(f"error: no user {username!r} in organization {org_slug!r}", err=True)
        sys.exit(1)
    try:
        with acting_as(actor_for_user(user)):
            report = acknowledgment_import(user=user, data=source.read(), file_name=source.name)
    except AcknowledgmentError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except PermissionDenied as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if report.already_imported:
        click.echo("Nothing changed: this file was imported before.")
        return
    click.echo(
        f"{len(report.accepted)} accepted, {len(report.rejected)} rejected, "
        f"{len(report.unmatched)} not matched"
    )
    for claim in report.rejected:
        click.echo(f"rejected: {claim.patient_control_number}")
