from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "otclinic.clinic.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
