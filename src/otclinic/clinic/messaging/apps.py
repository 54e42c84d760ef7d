from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "otclinic.clinic.messaging"
    label = "messaging"
    verbose_name = "Messages and tasks"
    default_auto_field = "django.db.models.BigAutoField"
