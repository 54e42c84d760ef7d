from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "otclinic.clinic.scheduling"
    label = "scheduling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from otclinic.clinic.scheduling import signals

        signals.connect()
