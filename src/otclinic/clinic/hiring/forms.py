"""Forms for the hiring pages: choices limited to the user's organization and the applicant."""

from typing import Any

from django import forms
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.common.validators import STATE_CHOICES
from otclinic.clinic.hiring import selectors
from otclinic.clinic.hiring.models import (
    CHECK_CHOICES,
    REFERENCE_CHOICES,
    ROLE_CHOICES,
    Applicant,
    ClaimedLicense,
    EmploymentType,
    NbcotMethod,
    OnboardingItem,
    ReferenceCheck,
)
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.staff.models import NbcotCredential
from otclinic.domain.hiring.pipeline import Stage

DATE = forms.DateInput(attrs={"type": "date"})
STATES = [("", "---------"), *STATE_CHOICES]


class _OwnIds(forms.Form):
    """A form whose field ids start with its own prefix: the applicant's page holds several
    forms with a `result` or `notes` field, and each label must point at its own control."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PostingForm(forms.Form):
    title = forms.CharField(max_length=120)
    clinic: forms.ModelChoiceField[Clinic] = forms.ModelChoiceField(queryset=None)
    role = forms.ChoiceField(label="Role sought", choices=ROLE_CHOICES)
    employment_type = forms.ChoiceField(choices=EmploymentType.choices)
    posted_on = forms.DateField(label="Posted on", widget=DATE, initial=timezone.localdate)
    closes_on = forms.DateField(label="Closes on", widget=DATE, required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "clinic", selectors.clinics_for_user(user=user))


class ApplicantForm(forms.Form):
    first_name = forms.CharField(max_length=80)
    last_name = forms.CharField(max_length=80)
    email = forms.EmailField()
    phone = forms.CharField(max_length=20, required=False)
    nbcot_credential = forms.ChoiceField(
        label="NBCOT credential claimed",
        choices=[("", "None"), *NbcotCredential.choices],
        required=False,
    )
    nbcot_number = forms.CharField(label="NBCOT number claimed", max_length=20, required=False)
    license_state = forms.ChoiceField(label="License state", choices=STATES, required=False)
    license_number = forms.CharField(label="License number", max_length=30, required=False)


class MoveForm(forms.Form):
    to = forms.ChoiceField(label="Move to", choices=[(s.value, s.label) for s in Stage])
    reason = forms.CharField(label="Reason (needed to decline)", max_length=200, required=False)


class LicenseClaimForm(_OwnIds):
    id_prefix = "claim"

    state = forms.ChoiceField(choices=STATE_CHOICES)
    number = forms.CharField(label="License number", max_length=30)


class NbcotClaimForm(_OwnIds):
    id_prefix = "claimnbcot"

    nbcot_credential = forms.ChoiceField(
        label="NBCOT credential claimed",
        choices=[("", "None"), *NbcotCredential.choices],
        required=False,
    )
    nbcot_number = forms.CharField(label="NBCOT number claimed", max_length=20, required=False)


class NbcotForm(_OwnIds):
    id_prefix = "nbcot"

    number = forms.CharField(label="NBCOT number", max_length=20)
    method = forms.ChoiceField(label="How verified", choices=NbcotMethod.choices)
    result = forms.ChoiceField(choices=CHECK_CHOICES)
    expires_on = forms.DateField(label="Expiry found", widget=DATE, required=False)
    verified_on = forms.DateField(label="Verified on", widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(max_length=200, required=False)


class LookupForm(_OwnIds):
    id_prefix = "lookup"

    license: forms.ModelChoiceField[ClaimedLicense] = forms.ModelChoiceField(
        queryset=None, label="License"
    )
    result = forms.ChoiceField(choices=CHECK_CHOICES)
    expires_on = forms.DateField(label="Expiry found", widget=DATE, required=False)
    source = forms.CharField(
        max_length=120, initial="State board online license lookup", label="Looked up at"
    )
    looked_up_on = forms.DateField(label="Looked up on", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, applicant: Applicant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "license", applicant.licenses.all())


class ReferenceForm(_OwnIds):
    id_prefix = "ref"

    name = forms.CharField(max_length=120)
    contact = forms.CharField(max_length=120, help_text="Phone or email")


class ReferenceResultForm(_OwnIds):
    id_prefix = "refresult"

    reference: forms.ModelChoiceField[ReferenceCheck] = forms.ModelChoiceField(queryset=None)
    result = forms.ChoiceField(choices=REFERENCE_CHOICES[1:])
    checked_on = forms.DateField(label="Checked on", widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, applicant: Applicant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "reference", applicant.references.all())


class OnboardingDoneForm(_OwnIds):
    id_prefix = "onboarding"

    item: forms.ModelChoiceField[OnboardingItem] = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args: Any, applicant: Applicant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "item", applicant.onboarding.all())


class HireForm(_OwnIds):
    id_prefix = "hire"

    username = forms.CharField(
        max_length=150, help_text="The new member of staff signs in with it; the password they set."
    )


class SettingsForm(forms.Form):
    references_required = forms.IntegerField(
        label="Favourable references an offer needs", min_value=0, max_value=10
    )
    before_hire = forms.CharField(
        label="Onboarding before the hire (one item a line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    after_hire = forms.CharField(
        label="Onboarding in the first days of work (one item a line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def items(self) -> list[dict[str, Any]]:
        """The onboarding items in checklist order: those before the hire first."""
        return [
            {"label": line.strip(), "before_hire": before}
            for field, before in (("before_hire", True), ("after_hire", False))
            for line in self.cleaned_data[field].splitlines()
            if line.strip()
        ]
