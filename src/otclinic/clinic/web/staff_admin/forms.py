from typing import Any

from django import forms

from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.staff.services_admin import STAFF_ROLES


class StaffForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email (the invitation goes here; it is their sign-in)")
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in STAFF_ROLES])
    credentials = forms.CharField(
        label="Credentials (e.g. OTR/L, COTA/L)", max_length=40, required=False
    )
    npi = forms.CharField(label="NPI", max_length=10, required=False)


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label="Hand the caseload to", queryset=StaffProfile.objects.none())

    def __init__(self, *args: Any, staff: StaffProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            StaffProfile.objects.for_org(staff.organization_id)
            .filter(active=True, user__is_active=True)
            .exclude(pk=staff.pk)
            .exclude(user__role__in=["biller", "front_desk", "clinic_admin", "student"])
            .select_related("user")
            .order_by("user__last_name")
        )
