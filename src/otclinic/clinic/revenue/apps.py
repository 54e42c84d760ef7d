from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "otclinic.clinic.revenue"
    label = "revenue"
    verbose_name = "Revenue cycle"
    default_auto_field = "django.db.models.BigAutoField"
