from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "otclinic.clinic.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from otclinic.clinic.accounts.signals import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="accounts_sign_in")
