"""Edits that do not silently overwrite each other.

An edit form carries the version of the row it was opened on (its `updated_at`); the service
locks the row and refuses the save when the row changed since, saying so in plain words.
"""

from typing import Any

from django import forms
from django.db.models import Model
from django.utils import timezone

from otclinic.clinic.common.errors import ValidationFailed


def version_of(row: Any) -> str:
    """The version an edit form carries: the row's last save, to the microsecond."""
    return str(row.updated_at.isoformat())


def locked_at_version(
    row: Model, *, version: str, what: str, data: dict[str, Any] | None = None
) -> Any:
    """`row` read again under a lock, or ValidationFailed if it was saved after `version`.

    A row that already holds every value of `data` is returned even so: the same form sent
    twice (a double click, a retried request) changes nothing the second time and is no
    conflict."""
    locked: Any = type(row)._default_manager.select_for_update().get(pk=row.pk)
    already = data is not None and all(getattr(locked, k) == v for k, v in data.items())
    if version != version_of(locked) and not already:
        at = timezone.localtime(locked.updated_at).strftime("%H:%M")
        raise ValidationFailed(
            {
                "__all__": [
                    f"Someone else saved {what} at {at}, after you opened this form. Your "
                    "changes were not saved: reload the page to see theirs, then make yours again."
                ]
            }
        )
    return locked


class VersionedForm(forms.ModelForm[Any]):
    """An edit form that carries its row's version in a hidden field, `version`, which the
    view passes to the service (and keeps out of the row's data)."""

    version = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "the page is missing the record's version"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = version_of(self.instance)

    def changes(self) -> tuple[dict[str, Any], str]:
        """The cleaned data without the version, and the version."""
        data = dict(self.cleaned_data)
        return data, str(data.pop("version"))
