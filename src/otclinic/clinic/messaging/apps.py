"""Messages and tasks."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "otclinic.clinic.messaging"
    label = "messaging"
    verbose_name = "Messages and tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A note's co-signature opens and closes tasks (messaging.note_tasks); certification
        # reminders set tasks through a hook (messaging.answers). Imported here: models load
        # after apps.py.
        from otclinic.clinic.messaging import answers, note_tasks

        note_tasks.connect()
        answers.register()
