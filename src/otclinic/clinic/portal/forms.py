"""Forms of the staff's portal-access section."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from otclinic.clinic.common.forms import choices_from, choices_set
from otclinic.clinic.patients.models import Patient, PatientContact, PortalScope

SELF = "self"


def caregivers_of(patient: Patient) -> QuerySet[PatientContact]:
    """The patient's contacts marked as caregivers: the only ones portal sharing is for."""
    return patient.contacts.filter(is_caregiver=True)


class TiedErrorsForm(forms.Form):
    """A portal form whose fields point at their error lists.

    Django ties a plain field to its help (`<auto_id>_helptext`) and errors (`<auto_id>_error`)
    itself, but not a field drawn as a fieldset (checkboxes, radios); this does that for those.
    """

    def add_error(self, field: Any, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and self[name].use_fieldset:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class InviteForm(TiedErrorsForm):
    who = forms.ChoiceField(label="Who is invited")
    email = forms.EmailField(label="Email for the invitation", max_length=254)

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        choices = [(SELF, f"{patient.first_name} {patient.last_name} (the patient)")]
        choices += [(str(c.pk), str(c)) for c in caregivers_of(patient)]
        choices_set(self, "who", choices)

    def contact(self) -> PatientContact | None:
        who = self.cleaned_data["who"]
        return None if who == SELF else caregivers_of(self.patient).get(pk=who)


class ConsentForm(TiedErrorsForm):
    contact = forms.ModelChoiceField(
        label="Caregiver", queryset=PatientContact.objects.none(), empty_label=None
    )
    scopes = forms.MultipleChoiceField(
        label="What they may see",
        choices=PortalScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing to share."},
    )
    signed_on = forms.DateField(
        label="Signed on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expires_on = forms.DateField(
        label="Shared until (last day, optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "contact", caregivers_of(patient))


class ThreadStartForm(TiedErrorsForm):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Your message", widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(TiedErrorsForm):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 4}))
