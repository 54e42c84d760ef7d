from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "otclinic.clinic.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from otclinic.clinic.care import episode_checks

        episode_checks.connect()
