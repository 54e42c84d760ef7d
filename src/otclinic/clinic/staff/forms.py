"""Forms for the staff credential pages; choices limited to the user's organization."""

import uuid
from decimal import Decimal
from typing import Any

from django import forms

from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.common.validators import STATE_CHOICES
from otclinic.clinic.staff.models import CE_BODY_CHOICES, CertificateType, NbcotCredential
from otclinic.clinic.staff.selectors import certificate_types

DATE = forms.DateInput(attrs={"type": "date"})


class LicenseForm(forms.Form):
    state = forms.ChoiceField(choices=STATE_CHOICES)
    number = forms.CharField(label="License number", max_length=30)
    issued_on = forms.DateField(label="Issued", widget=DATE, required=False)
    expires_on = forms.DateField(label="Expires", widget=DATE)
    temporary = forms.BooleanField(label="Temporary license", required=False)


class NbcotForm(forms.Form):
    nbcot_credential = forms.ChoiceField(
        label="NBCOT credential",
        choices=NbcotCredential.choices,
        help_text="OTR for an OT, COTA for an OTA",
    )
    nbcot_number = forms.CharField(label="NBCOT certification number", max_length=20)
    nbcot_expires_on = forms.DateField(label="NBCOT certification expires", widget=DATE)


class CertificateForm(forms.Form):
    certificate_type: forms.ModelChoiceField[CertificateType] = forms.ModelChoiceField(
        queryset=None, label="Certificate"
    )
    issuer = forms.CharField(max_length=120, help_text="e.g. American Heart Association")
    number = forms.CharField(label="Certificate number", max_length=40, required=False)
    issued_on = forms.DateField(label="Issued", widget=DATE)
    expires_on = forms.DateField(label="Expires", widget=DATE)
    file_name = forms.CharField(
        label="Certificate file name",
        max_length=200,
        required=False,
        help_text="Where the clinic keeps the scanned certificate",
    )

    def __init__(self, *args: Any, org_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "certificate_type", certificate_types(org_id=org_id))


class CeActivityForm(forms.Form):
    title = forms.CharField(label="Course or activity", max_length=200)
    provider = forms.CharField(max_length=120)
    completed_on = forms.DateField(label="Completed", widget=DATE)
    hours = forms.DecimalField(
        min_value=Decimal("0.25"), max_value=Decimal("200"), max_digits=5, decimal_places=2
    )
    counts_toward = forms.ChoiceField(label="Counts toward", choices=CE_BODY_CHOICES)
    certificate_file_name = forms.CharField(
        label="Certificate file name", max_length=200, required=False
    )


class CertificateTypeForm(forms.Form):
    name = forms.CharField(label="Certificate type", max_length=60, help_text="e.g. CPR/BLS")
    required_for_clinicians = forms.BooleanField(label="Required for clinicians", required=False)


class CeRequirementForm(forms.Form):
    counts_toward = forms.ChoiceField(label="License or certification", choices=CE_BODY_CHOICES)
    hours = forms.DecimalField(
        label="Hours per renewal cycle",
        min_value=Decimal("0.5"),
        max_value=Decimal("500"),
        max_digits=5,
        decimal_places=1,
    )
    cycle_months = forms.IntegerField(
        label="Cycle length in months",
        min_value=1,
        max_value=120,
        required=False,
        help_text="The cycle ends on the license's expiry; leave blank for the license period",
    )
    source = forms.CharField(
        max_length=200, required=False, help_text="The board rule or page the figure comes from"
    )
