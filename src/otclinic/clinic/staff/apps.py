from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "otclinic.clinic.staff"
    label = "staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The credential alerts are a periodic job (staff.answers). Imported here: models load after apps.py.
        from otclinic.clinic.staff import answers

        answers.register()
