from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "otclinic.clinic.supervision"
    label = "supervision"
    verbose_name = "OTA supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from otclinic.clinic.supervision import stored

        stored.connect()
