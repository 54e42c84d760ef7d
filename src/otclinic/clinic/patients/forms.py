"""Forms for the patient record; each field error names the field and says what to do."""

from typing import Any

from django import forms

from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.common.versions import VersionedForm
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.patients.models import (
    PATIENT_FIELDS,
    Patient,
    PatientContact,
    PatientDiagnosis,
)
from otclinic.domain.diagnoses import check_icd10, normalize_icd10


class PatientForm(forms.ModelForm[Patient]):
    class Meta:
        model = Patient
        # The MRN is not typed: the organization's pattern assigns it when the chart is saved.
        fields = list(PATIENT_FIELDS)
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "home_clinic", organization.clinics.all())
        self.fields["birth_date"].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."


class PatientEditForm(VersionedForm, PatientForm):
    """The demographics of a patient on file, with the version they were opened at."""


class MrnPatternForm(forms.Form):
    """The organization's MRN setting; the service checks the pattern."""

    # A field named like Form.prefix: the form metaclass moves it into base_fields.
    prefix = forms.CharField(  # type: ignore[assignment]
        label="Prefix",
        max_length=10,
        required=False,
        help_text="Up to 10 capital letters, digits or dashes, such as OT-; may be empty.",
    )
    digits = forms.IntegerField(
        label="Digits", min_value=3, max_value=12, help_text="The number is padded with zeros."
    )
    next_number = forms.IntegerField(
        label="Next number",
        min_value=1,
        help_text="The next chart's number; numbers already on a chart are skipped.",
    )


class DiagnosisForm(forms.Form):
    code = forms.CharField(label="ICD-10-CM code", max_length=8)
    onset_on = forms.DateField(
        label="Onset date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_code(self) -> str:
        result = check_icd10(self.cleaned_data["code"])
        if result.problem:
            raise forms.ValidationError(result.problem[0].upper() + result.problem[1:] + ".")
        self.description = result.description
        return normalize_icd10(result.code)


class ContactForm(forms.ModelForm[PatientContact]):
    """A contact of the patient; the service checks that a caregiver can be reached."""

    class Meta:
        model = PatientContact
        fields = ["name", "relationship", "phone", "email", "is_caregiver", "is_emergency_contact"]
        labels = {
            "name": "Name",
            "phone": "Phone",
            "email": "Email",
            "is_caregiver": "Caregiver (may be invited to the portal once the patient consents)",
            "is_emergency_contact": "Emergency contact",
        }
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {"email": {"invalid": "Enter an email address such as name@example.org."}}


class ContactEditForm(VersionedForm, ContactForm):
    """A contact on file, with the version it was opened at."""


__all__ = [
    "ContactEditForm",
    "ContactForm",
    "DiagnosisForm",
    "MrnPatternForm",
    "PatientDiagnosis",
    "PatientEditForm",
    "PatientForm",
]
