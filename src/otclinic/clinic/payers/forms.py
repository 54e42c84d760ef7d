"""Forms for a patient's coverage; each field error names the field and says what to do."""

import uuid
from typing import Any

from django import forms

from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.common.versions import VersionedForm
from otclinic.clinic.payers.models import Authorization, Coverage, Payer


class _DatesInOrder(forms.ModelForm[Any]):
    """A form with `starts_on` and `ends_on`: each named when it is not a date, and the end
    refused (with `ENDS_BEFORE`) when it falls before the start."""

    ENDS_BEFORE = "The end date cannot be before the start date."

    def _date_messages(self) -> None:
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", self.ENDS_BEFORE)
        return data


class CoverageForm(_DatesInOrder):
    class Meta:
        model = Coverage
        fields = [
            "payer",
            "member_id",
            "group_number",
            "priority",
            "starts_on",
            "ends_on",
            "subscriber_relationship",
            "subscriber_name",
            "subscriber_address",
            "subscriber_city",
            "subscriber_state",
            "subscriber_zip_code",
        ]
        labels = {
            "member_id": "Member id",
            "starts_on": "Coverage starts on",
            "ends_on": "Coverage ends on",
        }
        help_texts = {
            "member_id": "As printed on the insurance card; a Medicare MBI is 11 characters "
            "(dashes are taken out)."
        }
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, organization_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "payer", Payer.objects.for_org(organization_id).filter(active=True))
        self._date_messages()


class CoverageEditForm(VersionedForm, CoverageForm):
    """A coverage on file, with the version it was opened at."""


class AuthorizationForm(_DatesInOrder):
    """One prior authorization of the coverage: visits of one discipline between two dates."""

    ENDS_BEFORE = "The last authorized day cannot be before the first."

    visits = forms.IntegerField(
        label="Authorized visits",
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": "Enter at least 1 visit.",
            "max_value": "Enter at most 999 visits.",
            "invalid": "Enter a whole number of visits.",
        },
    )

    class Meta:
        model = Authorization
        fields = ["discipline", "number", "visits", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._date_messages()


AuthorizationFormSet = forms.inlineformset_factory(
    Coverage, Authorization, form=AuthorizationForm, extra=1, can_delete=True
)
