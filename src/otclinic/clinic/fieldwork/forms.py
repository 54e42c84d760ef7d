"""Forms for fieldwork pages: choices limited to the user's organization."""

from decimal import Decimal
from typing import Any

from django import forms

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.fieldwork import selectors
from otclinic.clinic.fieldwork.models import EvaluationKind, FieldworkLevel, ProgramKind
from otclinic.clinic.staff.models import StaffProfile

DATE = forms.DateInput(attrs={"type": "date"})


class PlacementForm(forms.Form):
    student: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(queryset=None)
    program = forms.ChoiceField(choices=ProgramKind.choices)
    school = forms.CharField(max_length=120)
    level = forms.ChoiceField(choices=FieldworkLevel.choices)
    starts_on = forms.DateField(label="Start date", widget=DATE)
    ends_on = forms.DateField(label="End date", widget=DATE)
    educator: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None,
        label="Fieldwork educator",
        help_text="An OT, or an OTA for an OTA student, with at least one year of practice.",
    )
    full_time_hours_per_week = forms.DecimalField(
        label="Full-time hours per week",
        min_value=Decimal("1"),
        max_value=Decimal("80"),
        decimal_places=1,
        initial=Decimal("40"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "student", selectors.students_for_user(user=user))
        choices_from(self, "educator", selectors.educators_for_user(user=user))


class HoursForm(forms.Form):
    worked_on = forms.DateField(label="Day worked", widget=DATE)
    hours = forms.DecimalField(min_value=Decimal("0.25"), max_value=Decimal("24"), decimal_places=2)


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label="Evaluation", choices=EvaluationKind.choices)
    evaluated_on = forms.DateField(label="Date", widget=DATE)
    score = forms.DecimalField(min_value=Decimal("0"), max_digits=5, decimal_places=1)
    passed = forms.BooleanField(required=False, label="Passed")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
