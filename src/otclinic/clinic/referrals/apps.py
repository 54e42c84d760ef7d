from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "otclinic.clinic.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"
