from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "otclinic.clinic.organizations"
    label = "organizations"
    default_auto_field = "django.db.models.BigAutoField"
