"""Forms of the claims pages: what a biller may ask for, checked before any service runs."""

from django import forms

from otclinic.clinic.revenue.models import ClaimStatus


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "All statuses"), *ClaimStatus.choices], required=False
    )


class ClaimActionForm(forms.Form):
    """A follow-up on a claim the payer has: correct it, void it or bill the secondary."""

    action = forms.ChoiceField(
        label="Action",
        choices=[
            ("correct", "Correct (replacement claim, frequency 7)"),
            ("void", "Void (frequency 8)"),
            ("secondary", "Bill the secondary payer"),
        ],
    )


class ClaimStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=ClaimStatus.choices)
