"""Staff commands: credential expiry alerts (run daily, e.g. from cron)."""

import datetime as dt

import click

from otclinic.cli.clinic import setup_django


@click.group()
def staff() -> None:
    """Staff credentials."""


@staff.command("alerts")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to alert as of (default: today in the clinic's time zone).",
)
def staff_alerts(today: dt.datetime | None) -> None:
    """Email clinicians and clinic admins about credentials 60, 30 or 7 days from expiry, and
    about CE hours still needed 90 or 30 days before the renewal cycle ends."""
    setup_django()
    from django.utils import timezone

    from otclinic.clinic.staff.services import ce_shortfall_alerts_send, credential_alerts_send

    day = today.date() if today else timezone.localdate()
    sent = credential_alerts_send(today=day)
    short = ce_shortfall_alerts_send(today=day)
    click.echo(f"{len(short)} continuing-education alert(s) sent for {day.isoformat()}")
    click.echo(f"{len(sent)} credential alert(s) sent for {day.isoformat()}")
