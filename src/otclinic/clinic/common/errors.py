"""Errors the services raise, which views turn into 404/403/422 and the API into JSON."""

from django.forms import BaseForm
from django.http import Http404


class NotFoundForUser(Http404):
    """The record does not exist or belongs to another clinic: the user is told neither."""


class NotPermitted(PermissionError):
    """The user's role may not do this."""


class ValidationFailed(ValueError):
    """Input that cannot be saved, with one message per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def add_errors(form: BaseForm, exc: ValidationFailed) -> None:
    """A service's refusal as the form's errors: on the field it names, else on the form."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
