from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "otclinic.clinic.revenue"
    label = "revenue"
    verbose_name = "Revenue cycle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The note's billing check (care) reads allowed amounts from here without importing
        # revenue, which sits above it (revenue.answers).
        # Imported here: models load after apps.py.
        from otclinic.clinic.revenue import answers, scrub_kept

        answers.register()
        scrub_kept.connect()
