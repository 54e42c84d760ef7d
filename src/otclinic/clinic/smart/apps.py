from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "otclinic.clinic.smart"
    label = "smart"
    verbose_name = "SMART on FHIR apps"

    def ready(self) -> None:
        from otclinic.clinic.smart import checks  # noqa: F401 (registers the key's check)
