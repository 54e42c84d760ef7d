from django.apps import AppConfig


class FhirBulkConfig(AppConfig):
    name = "otclinic.clinic.fhir.bulk"
    label = "fhir_bulk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: models load after apps.py.
        from otclinic.clinic.fhir.bulk import answers

        answers.register()
