"""A form's own choices, set per request: Django keeps a form's fields as plain `Field`s, so
these say which kind of field they expect (and the type checker can see it)."""

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet


def choices_from(form: forms.BaseForm, name: str, queryset: QuerySet[Any] | None) -> None:
    """Offer the rows of `queryset` in the form's model choice field `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


class ReadOnceChoices(forms.models.ModelChoiceIterator):
    """A model choice field's choices read with one plain query: Django's own iterator reads
    them through a server-side cursor on PostgreSQL (declare, fetch, close), which costs more
    than the handful of rows it reads."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in list(self.queryset):
            yield self.choice(row)


def choices_set(form: forms.BaseForm, name: str, choices: Iterable[Any]) -> None:
    """Offer `choices` (value, label pairs) in the form's choice field `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices
