"""Forms for a patient's coverage; each field error names the field and says what to do."""

import uuid
from typing import Any

from django import forms

from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.payers.models import Coverage, Payer


class CoverageForm(forms.ModelForm[Coverage]):
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
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date cannot be before the start date.")
        return data
