"""Forms for the messages and tasks pages.

The people pickers offer the practice's active staff (and, on a patient's thread, that
patient's portal logins) but accept any user of the practice, so that the service, not the
form, answers someone who may not see the patient, with its reason.
"""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.messaging.models import BODY_MAX, STAFF_ROLE_CHOICES
from otclinic.clinic.patients.models import Patient
from otclinic.domain.codes import Role

DATE = forms.DateInput(attrs={"type": "date"})
TEAM_CHOICES = [(value, f"{label} team") for value, label in STAFF_ROLE_CHOICES]


def _label(user: User) -> str:
    role = Role(user.role).label if user.role else "no role"
    return f"{user.display_name()} (@{user.username}, {role})"


def _practice_users(user: User) -> QuerySet[User]:
    return get_user_model().objects.filter(organization_id=organization_id_of(user))


def _offered(user: User, patient: Patient | None) -> list[tuple[str, str]]:
    """Active staff, and the patient's own portal logins when the thread is about a patient."""
    staff = ~Q(role__in=[Role.PATIENT, Role.CAREGIVER])
    rows = _practice_users(user).filter(is_active=True).exclude(pk=user.pk)
    if patient is not None:
        rows = rows.filter(staff | Q(portal_accesses__patient=patient)).distinct()
    else:
        rows = rows.filter(staff)
    return [(str(u.pk), _label(u)) for u in rows.order_by("last_name", "first_name")]


class PeopleField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return _label(obj)


class _PeopleForm(forms.Form):
    people = PeopleField(
        queryset=None,
        required=False,
        label="People",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )
    roles = forms.MultipleChoiceField(
        choices=TEAM_CHOICES,
        required=False,
        label="Teams",
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone with the role, e.g. the billing team.",
    )

    def __init__(self, *args: Any, user: User, patient: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "people", _practice_users(user))
        self.fields["people"].widget.choices = _offered(user, patient)


class ThreadForm(_PeopleForm):
    subject = forms.CharField(max_length=200, label="Subject")
    body = forms.CharField(
        max_length=BODY_MAX,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Type @username to mention someone; they are told and added.",
    )
    field_order = ["subject", "people", "roles", "body"]


class ParticipantsForm(_PeopleForm):
    pass


class RemoveParticipantForm(forms.Form):
    """Which participant to remove: a person (`user`) or a team (`role`), one of the two."""

    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, required=False, label="Person"
    )
    role = forms.ChoiceField(choices=[("", ""), *TEAM_CHOICES], required=False, label="Team")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "user", _practice_users(user))


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=BODY_MAX,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Type @username to mention someone.",
    )


class AssigneeField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return _label(obj)


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200, label="Task")
    assignee = AssigneeField(queryset=None, label="Assign to")
    due_on = forms.DateField(label="Due date", required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "assignee", _practice_users(user))
        field = self.fields["assignee"]
        staff = (
            _practice_users(user)
            .filter(is_active=True)
            .exclude(role__in=[Role.PATIENT, Role.CAREGIVER])
        )
        field.widget.choices = [("", "Choose a member of staff")] + [
            (str(u.pk), _label(u)) for u in staff.order_by("last_name", "first_name")
        ]
        if not self.is_bound:
            self.initial.setdefault("assignee", user.pk)
