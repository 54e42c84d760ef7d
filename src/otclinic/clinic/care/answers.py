"""The questions lower apps ask that care answers (common.hooks), and its periodic jobs (the
episode checks, the certification reminders), registered when Django starts
(`CareConfig.ready`)."""

import datetime as dt

from django.utils import timezone

from otclinic.clinic.audit.signatures import signatures_verify
from otclinic.clinic.care.episode_checks import refresh_open_episodes
from otclinic.clinic.care.selectors_clinical import episode_list_for_chart
from otclinic.clinic.care.selectors_notes import recent_notes_for_chart
from otclinic.clinic.care.services.clinical.certification_reminders import (
    certification_reminders_send,
)
from otclinic.clinic.care.signature_check import signatures_compared
from otclinic.clinic.jobs.periodic import WEEKDAYS, Periodic, periodic_register
from otclinic.clinic.patients.hooks import chart_episodes, chart_recent_notes


def _episode_checks() -> str:
    computed = refresh_open_episodes(as_of=timezone.localdate())
    return f"{computed} open episode(s) had their episode check computed for the day"


def _certification() -> str:
    sent = certification_reminders_send(today=timezone.localdate())
    return f"{len(sent)} certification reminder(s) sent"


def register() -> None:
    chart_recent_notes.register(recent_notes_for_chart)
    chart_episodes.register(episode_list_for_chart)
    signatures_verify.register(signatures_compared)
    periodic_register(
        Periodic("episode-checks", _episode_checks, at=dt.time(0, 15)),
        Periodic("certification-reminders", _certification, at=dt.time(7, 0), days=WEEKDAYS),
    )
