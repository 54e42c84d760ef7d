from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "otclinic.clinic.supervision"
    label = "supervision"
    verbose_name = "OTA supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Booking, the staff admin and the co-signature rule ask supervision through hooks
        # (supervision sits above them); its stored statuses listen to the writes they read.
        # Imported here: models load after apps.py.
        from otclinic.clinic.supervision import answers, stored

        answers.register()
        stored.connect()
