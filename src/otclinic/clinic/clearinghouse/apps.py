from django.apps import AppConfig


class ClearinghouseConfig(AppConfig):
    name = "otclinic.clinic.clearinghouse"
    label = "clearinghouse"
    verbose_name = "Clearinghouse"
    default_auto_field = "django.db.models.BigAutoField"
