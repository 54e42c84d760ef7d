"""The clearinghouse page's forms: the clinic's settings, one payer's connection, an upload."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.clearinghouse.models import ClearinghouseProfile
from otclinic.clinic.clearinghouse.sftp import CREDENTIAL_NAME, _asyncssh
from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.payers.models import OUTBOUND_KINDS, PayerConnection, Transport


class ProfileForm(forms.ModelForm[ClearinghouseProfile]):
    class Meta:
        model = ClearinghouseProfile
        fields = ["status_after_days", "run_as"]
        labels = {"run_as": "Scheduled runs act as"}

    def __init__(self, *args: Any, users: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "run_as", users)


class ConnectionForm(forms.ModelForm[PayerConnection]):
    kinds = forms.MultipleChoiceField(
        label="Files sent",
        choices=[(k, k) for k in OUTBOUND_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PayerConnection
        fields = [
            "submitter_id",
            "receiver_id",
            "transport",
            "kinds",
            "sftp_host",
            "sftp_port",
            "sftp_username",
            "sftp_host_key",
            "credential",
            "upload_path",
            "download_path",
        ]
        widgets = {"sftp_host_key": forms.Textarea(attrs={"rows": 2})}

    def clean_sftp_host_key(self) -> str:
        key: str = self.cleaned_data["sftp_host_key"].strip()
        if key:
            asyncssh = _asyncssh()
            try:
                asyncssh.import_public_key(key)
            except (asyncssh.KeyImportError, ValueError):
                raise ValidationError(
                    "Paste the server's public key as one OpenSSH line "
                    "(for example: ssh-ed25519 AAAAC3Nza...)."
                ) from None
        return key

    def clean_credential(self) -> str:
        name: str = self.cleaned_data["credential"].strip()
        if name and not CREDENTIAL_NAME.match(name):
            raise ValidationError(
                "Give the name of the password or key file (letters, digits, . _ -), not the "
                "password itself."
            )
        return name

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("transport") == Transport.SFTP:
            for name in ("sftp_host", "sftp_username", "sftp_host_key", "credential"):
                if not data.get(name):
                    self.add_error(name, "SFTP needs this.")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label="A file from the clearinghouse (999, 277CA, 277, 271 or 835)")
