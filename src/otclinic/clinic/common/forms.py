"""A form's own choices, set per request: Django keeps a form's fields as plain `Field`s, so
these say which kind of field they expect (and the type checker can see it)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet


def choices_from(form: forms.BaseForm, name: str, queryset: QuerySet[Any] | None) -> None:
    """Offer the rows of `queryset` in the form's model choice field `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def choices_set(form: forms.BaseForm, name: str, choices: Iterable[Any]) -> None:
    """Offer `choices` (value, label pairs) in the form's choice field `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices
