from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """The sign-in form, with a message that does not say which of the two was wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match. Check both and try again.",
    }

    remember = forms.BooleanField(
        label="Remember me on this device",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "remember-help"}),
        help_text="Fills in your username next time (never your password). "
        "Leave it unticked on a tablet others use.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.initial.get("username"):
            # The username is remembered: the password is what is left to type.
            self.fields["password"].widget.attrs["autofocus"] = True
            self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


__all__ = ["SignInForm", "forms"]
