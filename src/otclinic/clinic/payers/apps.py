from django.apps import AppConfig


class PayersConfig(AppConfig):
    name = "otclinic.clinic.payers"
    label = "payers"
    default_auto_field = "django.db.models.BigAutoField"
