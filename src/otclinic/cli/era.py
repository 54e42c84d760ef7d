"""`otclinic era read FILE` (no database, no Django) and `otclinic era import FILE` (posting).

`era import` sets Django up only when it runs, so `era read` stays free of it.

`era read`: exit status 0: the remittance is printed as the contract's JSON on standard output
(compact, one line; `--indent` for the two-space layout a person reads), with any
warnings (element-level defects such as a missing BPR16, PER*BL or procedure code, money that
does not balance) on standard error. Exit status 2: the file could not be read as an 835 or
holds an amount too large for the ledger; one line on standard error names the segment and its
position, and nothing goes to standard output. See docs/remittances.md.
"""

import sys
from typing import Any, BinaryIO

import click


@click.group()
def era() -> None:
    """Read (no database) and import electronic remittance advice (X12 835)."""


@era.command()
@click.argument("source", metavar="FILE", type=click.File("rb"))
@click.option("--indent", is_flag=True, help="Indent the JSON by two spaces (for reading).")
def read(source: BinaryIO, indent: bool) -> None:
    """Read the 835 in FILE (`-` for standard input) and print it as JSON."""
    from otclinic.cli.era_read import read_and_print

    status = read_and_print(source.read(), indent=indent)
    if status:
        sys.exit(status)


@era.command(name="import")
@click.argument("source", metavar="FILE", type=click.File("rb"))
@click.option("--organization", "org_slug", required=True, help="The clinic's organization slug.")
@click.option("--user", "username", required=True, help="Who imports (a biller or clinic admin).")
def import_(source: BinaryIO, org_slug: str, username: str) -> None:
    """Post the 835 in FILE to the ledger: payments, adjustments, denials, unmatched claims.

    Exit status 0 when read (a payment posted before, recognised by payer, trace number and
    amount, posts nothing and this says when and by whom), 2 when the file cannot be read as an
    835 or holds an amount too large for the ledger (nothing is posted), 1 when the user or
    organization is unknown or may not post.
    """
    from otclinic.cli.clinic import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied

    from otclinic.clinic.accounts.models import User
    from otclinic.clinic.audit.context import acting_as, actor_for_user
    from otclinic.clinic.revenue.posting import EraImportError, era_import

    user = User.objects.filter(username=username, organization__slug=org_slug).first()
    if user is None:
        click.echo(f"error: no user {username!r} in organization {org_slug!r}", err=True)
        sys.exit(1)
    try:
        with acting_as(actor_for_user(user)):
            report = era_import(user=user, raw=source.read(), filename=source.name)
    except EraImportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except PermissionDenied as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    _print_report(report)


def _print_report(report: Any) -> None:
    for warning in report.warnings:
        click.echo(f"WARNING: {warning}", err=True)
    for message in report.already_imported:
        click.echo(message)
    if report.nothing_posted:
        click.echo("Nothing posted.")
        return
    click.echo(
        f"Posted {len(report.posted)} claim(s) from {len(report.remittances)} payment(s):"
        f" {report.entries} ledger entries, {len(report.denials)} denial(s),"
        f" {len(report.unmatched)} unmatched."
    )
    for rc in report.posted:
        click.echo(
            f"  posted    {rc.patient_control_number}  status {rc.status_code}  paid {rc.paid}"
        )
    for rc in report.unmatched:
        click.echo(f"  unmatched {rc.patient_control_number}  paid {rc.paid}")
    for denial in report.denials:
        click.echo(f"  denial    {denial.group_code}-{denial.reason_code}  {denial.amount}")
