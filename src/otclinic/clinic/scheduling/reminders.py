"""Reminder senders: the pluggable part of appointment reminders.

`settings.OTCLINIC_REMINDER_SENDER` names the sender class by dotted path (environment
variable of the same name). A sender says which channels it can deliver (`channels`) and
delivers one `Reminder` (`send`), raising `ReminderNotSent` when it could not. Two ship:

- `ConsoleSender` (the default, for the demo and development) writes each reminder to standard
  output, with the address masked. It is not the application log: the log gets ids only.
- `EmailSender` queues an email (`accounts.mail.email_send`: a background job sends it through
  `EMAIL_BACKEND` once the reminder's row commits, and retries a mail server that fails), email
  only, so a patient with only a phone number is left for a sender that can text.

A text-message gateway is a class with `channels = frozenset({Channel.SMS})` and a `send`.
"""

import sys
from typing import ClassVar, Protocol, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from otclinic.clinic.accounts.mail import email_send, mask
from otclinic.domain.scheduling.reminders import Channel, Reminder

DEFAULT_SENDER = "otclinic.clinic.scheduling.reminders.ConsoleSender"


class ReminderNotSent(Exception):
    """The sender could not deliver the reminder; it stays unsent, for the next run."""


class ReminderSender(Protocol):
    channels: frozenset[Channel]

    def send(self, reminder: Reminder) -> None: ...


class ConsoleSender:
    """Prints each reminder (the demo's delivery); every channel, nothing leaves the machine."""

    channels: ClassVar[frozenset[Channel]] = frozenset(Channel)

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, reminder: Reminder) -> None:
        out = self.stream or sys.stdout
        out.write(f"[{reminder.channel} to {mask(reminder.to)}] {reminder.subject}\n")
        out.write(f"    {reminder.body}\n")


class EmailSender:
    """Queues email reminders for the background job that sends them (retrying failures)."""

    channels: ClassVar[frozenset[Channel]] = frozenset({Channel.EMAIL})

    def send(self, reminder: Reminder) -> None:
        email_send(to=[reminder.to], subject=reminder.subject, body=reminder.body)


def configured_sender() -> ReminderSender:
    """An instance of the sender the settings name."""
    path = getattr(settings, "OTCLINIC_REMINDER_SENDER", "") or DEFAULT_SENDER
    try:
        sender = import_string(path)()
    except ImportError as exc:
        raise ImproperlyConfigured(f"OTCLINIC_REMINDER_SENDER: cannot import {path!r}") from exc
    if not isinstance(getattr(sender, "channels", None), frozenset) or not callable(
        getattr(sender, "send", None)
    ):
        raise ImproperlyConfigured(
            f"OTCLINIC_REMINDER_SENDER: {path!r} needs a `channels` frozenset and a `send` method"
        )
    return sender  # type: ignore[no-any-return]
