from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "otclinic.clinic.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from otclinic.clinic.audit import reads, signals

        signals.connect()
        reads.connect()
