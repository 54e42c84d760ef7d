from django.apps import AppConfig


class ClearinghouseConfig(AppConfig):
    name = "otclinic.clinic.clearinghouse"
    label = "clearinghouse"
    verbose_name = "Clearinghouse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The exchange and the claim status inquiries are periodic jobs (clearinghouse.answers). Imported here: models load after apps.py.
        from otclinic.clinic.clearinghouse import answers

        answers.register()
