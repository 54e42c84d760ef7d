"""Forms of the remittance pages: the 835 upload, matching a queued claim, working a denial."""

from decimal import Decimal

from django import forms

from otclinic.clinic.revenue.models import DenialStatus, PaymentMethod

MAX_ERA_BYTES = 50 * 1024 * 1024


class EraUploadForm(forms.Form):
    file = forms.FileField(
        label="835 remittance file",
        help_text="The ERA (X12 835) from the payer or clearinghouse. A payment already posted"
        " (the same payer, trace number and amount, in any file) posts nothing again.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ERA_BYTES:
            raise forms.ValidationError("The file is larger than 50 MB.")
        return upload


class MatchForm(forms.Form):
    control_number = forms.CharField(
        label="Our claim number (patient control number)",
        max_length=20,
        help_text="The claim this payment belongs to, as it appears on the claim list.",
    )


ACTION_CHOICES = [
    ("write_off", "Write it off"),
    ("bill_patient", "Bill the patient"),
    ("appealed", "Mark appealed (with documentation)"),
    ("corrected", "Mark corrected and resubmitted"),
    ("bill_secondary", "Mark billed to the secondary payer"),
]


class DenialActionForm(forms.Form):
    action = forms.ChoiceField(label="What to do", choices=ACTION_CHOICES)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done and why (appeal reference, correction made...).",
    )


STATUS_LABELS = dict(DenialStatus.choices)


class AcknowledgmentUploadForm(forms.Form):
    file = forms.FileField(
        label="Acknowledgment file (999 or 277CA)",
        help_text="The implementation acknowledgment (X12 999) or claim acknowledgment (277CA) "
        "from the clearinghouse or payer, after an 837P. The same file imported again changes "
        "nothing.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ERA_BYTES:
            raise forms.ValidationError("The file is larger than 50 MB.")
        return upload


class PatientPaymentForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount ($)", min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    method = forms.ChoiceField(label="Paid by", choices=PaymentMethod.choices)
    reference = forms.CharField(
        label="Check number or card approval code", max_length=40, required=False
    )
    received_on = forms.DateField(
        label="Received on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Blank: today",
    )
    claim = forms.UUIDField(required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)


class PatientRefundForm(forms.Form):
    amount = forms.DecimalField(
        label="Refund amount ($)", min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    method = forms.ChoiceField(label="Refunded by", choices=PaymentMethod.choices)
    reference = forms.CharField(
        label="Check number or card approval code", max_length=40, required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput)
