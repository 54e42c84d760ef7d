from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "otclinic.clinic.portal"
    label = "portal"
    verbose_name = "Patient and caregiver portal"
    default_auto_field = "django.db.models.BigAutoField"
