"""Schedule commands: appointment reminders and progress-report visits (run from cron)."""

import datetime as dt

import click

from otclinic.cli.clinic import setup_django


@click.group()
def schedule() -> None:
    """The appointment schedule."""


def _parse_now(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not an ISO date-time such as 2026-11-01T08:00-05:00", param_hint="--now"
        ) from exc
    from django.utils import timezone

    # A time without an offset is read in the clinic's time zone.
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@schedule.command("remind")
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Send what is due at this ISO date-time instead of the current time "
    "(no offset: the clinic's time zone).",
)
def schedule_remind(now_text: str | None) -> None:
    """Send the appointment reminders that are due (48 and 2 hours before), each once."""
    setup_django()
    from otclinic.clinic.scheduling.services_reminders import reminders_send

    run = reminders_send(now=_parse_now(now_text))
    click.echo(
        f"{len(run.sent)} reminder(s) sent; {run.unreachable} due without a way to reach the "
        f"patient; {run.failed} not sent (tried again next run)"
    )


@schedule.command("progress-visits")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to compute as of (default: today in the clinic's time zone).",
)
def schedule_progress_visits(today: dt.datetime | None) -> None:
    """Recompute which booked visit carries each episode's progress report."""
    setup_django()
    from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_all

    marked = progress_visits_mark_all(today=today.date() if today else None)
    click.echo(f"{marked} episode(s) have a progress-report visit on the book")
