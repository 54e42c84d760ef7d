"""The questions lower apps ask that supervision answers (common.hooks), and its periodic job,
registered when Django starts (`SupervisionConfig.ready`)."""

import datetime as dt

from django.utils import timezone

from otclinic.clinic.care.hooks import supervision_plan_cosign
from otclinic.clinic.jobs.periodic import Periodic, periodic_register
from otclinic.clinic.scheduling.hooks import supervision_booking_problems
from otclinic.clinic.staff.hooks import supervising_ot_problems
from otclinic.clinic.supervision.gate import booking_problems
from otclinic.clinic.supervision.plans import plan_cosign_on
from otclinic.clinic.supervision.services import supervisor_errors
from otclinic.clinic.supervision.stored import refresh_all


def _supervision_statuses() -> str:
    otas = refresh_all(as_of=timezone.localdate())
    return f"{otas} OTA(s) have a supervision status current for the day"


def register() -> None:
    supervision_booking_problems.register(booking_problems)
    supervising_ot_problems.register(supervisor_errors)
    supervision_plan_cosign.register(plan_cosign_on)
    periodic_register(Periodic("supervision-statuses", _supervision_statuses, at=dt.time(0, 20)))
