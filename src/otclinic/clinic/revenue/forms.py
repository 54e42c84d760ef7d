"""Forms of the claims pages: what a biller may ask for, checked before any service runs."""

from typing import Any

from django import forms

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.forms import ReadOnceChoices, choices_from
from otclinic.clinic.common.widgets import QuickDateInput, QuickSelect, QuickTextInput
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.revenue.models import ClaimStatus

DATE = QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClaimFilterForm(forms.Form):
    """The claims list's search: patient or claim number, payer, status and service dates."""

    q = forms.CharField(
        label="Patient or claim number",
        required=False,
        max_length=100,
        help_text="A name, MRN, our claim number or the payer's",
        widget=QuickTextInput,
    )
    payer: forms.ModelChoiceField[Payer] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All payers", widget=QuickSelect
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All statuses"), *ClaimStatus.choices],
        required=False,
        widget=QuickSelect,
    )
    service_from = forms.DateField(label="Service from", required=False, widget=DATE)
    service_to = forms.DateField(label="Service to", required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        payers = Payer.objects.for_org(user.organization_id).order_by("name")
        self.fields["payer"].iterator = ReadOnceChoices  # type: ignore[attr-defined]
        choices_from(self, "payer", payers)  # after: the widget takes the field's iterator

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("service_from"), data.get("service_to")
        if first and last and last < first:
            self.add_error("service_to", "Enter a date on or after the “Service from” date.")
        return data


class ClaimActionForm(forms.Form):
    """A follow-up on a claim the payer has: correct it, void it or bill the secondary."""

    action = forms.ChoiceField(
        label="Action",
        choices=[
            ("correct", "Correct (replacement claim, frequency 7)"),
            ("void", "Void (frequency 8)"),
            ("secondary", "Bill the next payer (secondary, then tertiary)"),
        ],
    )


class ClaimStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=ClaimStatus.choices)
