"""Care commands: the physician certification reminders (run daily, e.g. from cron)."""

import datetime as dt

import click

from otclinic.cli.clinic import setup_django


@click.group()
def care() -> None:
    """The clinical record's scheduled work."""


@care.command("certification-reminders")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to remind as of (default: today in the clinic's time zone).",
)
@click.option(
    "--list", "list_only", is_flag=True, help="List the reminders due without sending them."
)
def certification_reminders(day: dt.datetime | None, list_only: bool) -> None:
    """Re-send the plan to each physician whose certification reminder is due, and record it.

    Running it twice on a day sends nothing the second time.
    """
    setup_django()
    from django.utils import timezone

    from otclinic.clinic.care.selectors_certification import due_certification_reminders
    from otclinic.clinic.care.services.clinical.certification_reminders import (
        certification_reminders_send,
    )

    today = day.date() if day else timezone.localdate()
    if list_only:
        due = due_certification_reminders(as_of=today)
        for follow_up in due:
            r, step = follow_up.request, follow_up.due
            assert step is not None
            # Ids and dates only: no patient or physician names on the terminal or in cron mail.
            click.echo(
                f"request {r.pk} plan {r.plan_id}: {step.label} due {step.due_on.isoformat()}, "
                f"signature due by {r.deadline.isoformat()}"
            )
        click.echo(f"{len(due)} certification reminder(s) due on {today.isoformat()}")
        return
    sent = certification_reminders_send(today=today)
    for reminder in sent:
        click.echo(
            f"request {reminder.request_id}: reminder {reminder.step}"
            f"{' (final: call the office)' if reminder.escalation else ''} sent"
        )
    click.echo(f"{len(sent)} certification reminder(s) sent for {today.isoformat()}")
