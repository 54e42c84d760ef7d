from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "otclinic.clinic.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: models load after apps.py.
        from otclinic.clinic.scheduling import answers, pickers, signals

        signals.connect()
        pickers.connect()
        answers.register()
