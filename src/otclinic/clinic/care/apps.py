from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "otclinic.clinic.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: models load after apps.py. The chart's recent notes and the audit's
        # signature check are asked of care through hooks (care.answers).
        from otclinic.clinic.care import answers, episode_checks

        episode_checks.connect()
        answers.register()
