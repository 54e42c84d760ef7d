"""The questions lower apps ask that messaging answers (common.hooks), registered when Django
starts (`MessagingConfig.ready`)."""

from otclinic.clinic.care.hooks import staff_task_create
from otclinic.clinic.messaging.tasks import task_create


def register() -> None:
    staff_task_create.register(task_create)
