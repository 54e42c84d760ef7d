from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "otclinic.clinic.revenue"
    label = "revenue"
    verbose_name = "Revenue cycle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The note's billing check (care) reads allowed amounts from here without importing
        # revenue, which sits above it.
        from otclinic.clinic.care.billing_adapter import register_amounts
        from otclinic.clinic.revenue.note_amounts import amounts_for_note

        register_amounts(amounts_for_note)
        from otclinic.clinic.revenue import scrub_kept

        scrub_kept.connect()
