"""The questions lower apps ask that supervision answers (common.hooks), registered when Django
starts (`SupervisionConfig.ready`)."""

from otclinic.clinic.care.hooks import supervision_plan_cosign
from otclinic.clinic.scheduling.hooks import supervision_booking_problems
from otclinic.clinic.staff.hooks import supervising_ot_problems
from otclinic.clinic.supervision.gate import booking_problems
from otclinic.clinic.supervision.plans import plan_cosign_on
from otclinic.clinic.supervision.services import supervisor_errors


def register() -> None:
    supervision_booking_problems.register(booking_problems)
    supervising_ot_problems.register(supervisor_errors)
    supervision_plan_cosign.register(plan_cosign_on)
