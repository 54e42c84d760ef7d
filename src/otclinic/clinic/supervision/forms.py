"""Forms for the supervision pages: choices limited to the user's organization."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision import selectors
from otclinic.clinic.supervision.models import (
    MAX_CONTACT_MINUTES,
    MAX_MONTH_HOURS,
    MAX_PLAN_EVERY_DAYS,
    ContactMethod,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ContactForm(forms.Form):
    contact_on = forms.DateField(label="Date", widget=DATE)
    method = forms.ChoiceField(choices=ContactMethod.choices)
    minutes = forms.IntegerField(min_value=1, max_value=MAX_CONTACT_MINUTES)
    on_site_face_to_face = forms.BooleanField(
        required=False,
        label="On-site, face to face",
        help_text="In person at the OTA's work site (Illinois counts only these toward its share)",
    )
    patients: forms.ModelMultipleChoiceField[Patient] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Patients discussed",
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="The OTA's patients, booked with them within 90 days either side of today.",
    )
    content = forms.CharField(
        label="Content", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, user: User, ota: StaffProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "patients", selectors.patients_for_user(user=user))
        # Any patient of the practice is accepted; the OTA's caseload (and any already
        # chosen) is listed, never every patient of the practice.
        shown = list(selectors.caseload_patients_of(ota=ota, around=timezone.localdate()))
        chosen = set(self.data.getlist("patients")) if self.is_bound else set()  # type: ignore[attr-defined]
        if chosen - {str(p.pk) for p in shown}:
            shown += list(selectors.patients_for_user(user=user).filter(pk__in=chosen))
        field: Any = self.fields["patients"]
        field.widget.choices = [(p.pk, f"{p.last_name}, {p.first_name}") for p in shown]


class PlanForm(forms.Form):
    supervising_ot: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None, label="Supervising OT"
    )
    contact_every_days = forms.IntegerField(
        label="Contact at least every (days)", min_value=1, max_value=MAX_PLAN_EVERY_DAYS
    )
    by_in_person = forms.BooleanField(required=False, label="In-person contacts count")
    by_phone = forms.BooleanField(required=False, label="Phone contacts count")
    by_video = forms.BooleanField(required=False, label="Video contacts count")
    notes_cosigned = forms.TypedChoiceField(
        label="The OTA's notes are",
        choices=[("yes", "Co-signed by the OT"), ("no", "Initialed by the OT")],
        coerce=lambda v: v == "yes",
    )
    effective_from = forms.DateField(label="In force from", widget=DATE)
    setting_started_on = forms.DateField(
        label="OTA started in this setting on",
        required=False,
        widget=DATE,
        help_text="For rules keyed to months in the setting (Illinois, North Carolina, Arizona)",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "supervising_ot", selectors.supervisors_for_user(user=user))


class HoursForm(forms.Form):
    month = forms.DateField(label="Any day of the month", widget=DATE)
    hours = forms.DecimalField(
        label="Hours worked (timesheet)",
        min_value=Decimal("0"),
        max_value=Decimal(MAX_MONTH_HOURS),
        decimal_places=2,
    )
    note = forms.CharField(required=False, max_length=200)


class SupervisorForm(forms.Form):
    supervising_ot: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None, label="Supervising OT"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "supervising_ot", selectors.supervisors_for_user(user=user))
