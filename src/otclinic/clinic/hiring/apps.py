from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "otclinic.clinic.hiring"
    label = "hiring"
    verbose_name = "Hiring"
    default_auto_field = "django.db.models.BigAutoField"
