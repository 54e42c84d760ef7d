from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "otclinic.clinic.portal"
    label = "portal"
    verbose_name = "Patient and caregiver portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Which patients a portal user may see is the portal's rule; patients asks it through a
        # hook (portal.answers). Imported here: models load after apps.py.
        from otclinic.clinic.portal import answers

        answers.register()
