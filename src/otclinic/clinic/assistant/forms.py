"""The clinic admin's form of the assistant's settings."""

import re
from typing import Any

from django import forms

from otclinic.clinic.assistant.models import MAX_TIMEOUT_SECONDS, AssistantSettings

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class AssistantSettingsForm(forms.ModelForm[AssistantSettings]):
    # A local model server is usually plain http on the loopback; a typed address without a
    # scheme is read as one.
    base_url = forms.URLField(
        label="Server address",
        required=False,
        max_length=200,
        assume_scheme="http",
        help_text="The OpenAI-compatible server, e.g. http://127.0.0.1:11434 for a local Ollama",
    )

    class Meta:
        model = AssistantSettings
        fields = ["enabled", "base_url", "model", "api_key_env", "timeout_seconds", "streaming"]

    def clean_api_key_env(self) -> str:
        name = str(self.cleaned_data.get("api_key_env") or "").strip()
        if name and not ENV_NAME.match(name):
            raise forms.ValidationError(
                "Give the name of an environment variable (capital letters, digits and _), "
                "not the key itself."
            )
        return name

    def clean_timeout_seconds(self) -> int:
        seconds = int(self.cleaned_data["timeout_seconds"])
        if not 1 <= seconds <= MAX_TIMEOUT_SECONDS:
            raise forms.ValidationError(
                f"Enter a number of seconds from 1 to {MAX_TIMEOUT_SECONDS}."
            )
        return seconds

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("enabled"):
            for name in ("base_url", "model"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Needed when the assistant is turned on.")
        return data
