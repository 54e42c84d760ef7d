from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "otclinic.clinic.fieldwork"
    label = "fieldwork"
    verbose_name = "Fieldwork students"
    default_auto_field = "django.db.models.BigAutoField"
