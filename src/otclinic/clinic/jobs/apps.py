from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "otclinic.clinic.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
