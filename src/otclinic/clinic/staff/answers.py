"""What the staff app registers with the apps below it, when Django starts (`StaffConfig.ready`):
the credential and continuing-education alerts as a periodic job."""

import datetime as dt

from django.utils import timezone

from otclinic.clinic.jobs.periodic import Periodic, periodic_register
from otclinic.clinic.staff.services import ce_shortfall_alerts_send, credential_alerts_send


def _credentials() -> str:
    today = timezone.localdate()
    sent = credential_alerts_send(today=today)
    short = ce_shortfall_alerts_send(today=today)
    return f"{len(sent)} credential alert(s) and {len(short)} continuing-education alert(s) sent"


def register() -> None:
    periodic_register(Periodic("credential-alerts", _credentials, at=dt.time(7, 15)))
