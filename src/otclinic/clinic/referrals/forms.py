"""Forms for referring physicians; each field error names the field and says what to do."""

from django import forms

from otclinic.clinic.referrals.models import ReferringPhysician


class PhysicianForm(forms.ModelForm[ReferringPhysician]):
    class Meta:
        model = ReferringPhysician
        fields = [
            "first_name",
            "last_name",
            "credentials",
            "npi",
            "practice_name",
            "phone",
            "fax",
            "direct_address",
            "preferred_channel",
        ]
        labels = {"npi": "NPI"}
        help_texts = {"npi": "10 digits; the last is a check digit."}
        widgets = {"npi": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}
