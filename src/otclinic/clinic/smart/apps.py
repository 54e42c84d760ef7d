from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "otclinic.clinic.smart"
    label = "smart"
    verbose_name = "SMART on FHIR apps"
