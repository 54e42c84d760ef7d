"""Supervision commands: recompute every OTA's stored supervision status (run daily)."""

import datetime as dt

import click

from otclinic.cli.clinic import setup_django


@click.group()
def supervision() -> None:
    """OTA supervision."""


@supervision.command("refresh")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to judge as of (default: today in the clinic's time zone).",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Judge every active OTA again, even one whose status is current (after records were "
    "changed outside the app, by SQL or a bulk load).",
)
def supervision_refresh(today: dt.datetime | None, every: bool) -> None:
    """Judge every active OTA whose stored supervision status is not current for the day (the
    dashboard reads the stored ones; a changed contact, plan, timesheet or appointment makes
    an OTA's stale at once, and the page judges a stale one itself)."""
    setup_django()
    from django.utils import timezone

    from otclinic.clinic.supervision.stored import refresh_all

    day = today.date() if today else timezone.localdate()
    otas = refresh_all(as_of=day, every=every)
    click.echo(f"{otas} OTA(s) have a supervision status current for {day.isoformat()}")
