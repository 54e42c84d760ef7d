"""Forms of the schedule's pages; every choice is limited to the user's organization.

Times are entered as a local date and a local time (the clinic's time zone, settings.TIME_ZONE)
and combined into an aware instant here, so the wall-clock time the desk typed is the one kept.
"""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import Episode
from otclinic.clinic.common.forms import choices_from, choices_set
from otclinic.clinic.common.widgets import QuickDateInput, QuickHiddenInput, QuickSelect
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling.models import AppointmentKind, Room
from otclinic.clinic.scheduling.pickers import Pickers, pickers_for_user
from otclinic.clinic.staff.models import StaffProfile

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]

CANCEL_REASONS = [
    ("Patient cancelled", "Patient cancelled"),
    ("Clinic cancelled", "Clinic cancelled"),
    ("Illness", "Illness"),
    ("Weather", "Weather"),
    ("Other", "Other (say why below)"),
]
NO_SHOW_REASONS = [
    ("No call, no show", "No call, no show"),
    ("Arrived too late to be seen", "Arrived too late to be seen"),
    ("Other", "Other (say why below)"),
]


def local_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware instant of a local wall-clock time; ValueError for a time the clocks skip."""
    tz = timezone.get_current_timezone()
    moment = dt.datetime.combine(day, time, tzinfo=tz)
    # A time inside the spring-forward gap does not survive a round trip through UTC.
    if moment.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValueError(f"{time:%H:%M} does not exist on {day}: the clocks go forward then")
    return moment


def refusal_field(reason: str, fields: Any) -> str | None:
    """Which field a booking refusal is about, so the message sits next to it."""
    text = reason.lower()
    guesses = [
        ("the clinician is already booked", "clinician"),
        ("the patient is already booked", "patient"),
        ("the room is already booked", "room"),
        ("license", "clinician"),
        ("nbcot", "clinician"),
        ("authoriz", "episode"),
        ("certification", "day"),
        ("plan of care starts", "day"),
        ("plan of care", "episode"),
        ("weekday", "weekdays"),
        ("minute", "minutes"),
    ]
    for needle, name in guesses:
        if needle in text and name in fields:
            return name
    return None


def patient_search_field() -> forms.CharField:
    """The search picker's box (scheduling/_patient_picker.html)."""
    return forms.CharField(
        required=False,
        max_length=60,
        label="Find the patient",
        help_text="Name, MRN, birth date (04/07/2019) or phone; up to 20 matches are listed.",
    )


def patient_choice_field() -> "forms.ModelChoiceField[Patient]":
    """The search picker's choice: radio buttons of its matches (`_Choices._picker`); any
    patient of the organization validates."""
    return forms.ModelChoiceField(queryset=None, widget=forms.RadioSelect)


class _Choices(forms.Form):
    """Sets each model field's queryset from the user's organization."""

    def _limit(self, **querysets: Any) -> None:
        for name, queryset in querysets.items():
            choices_from(self, name, queryset)

    def _value(self, name: str) -> Any:
        return self.data.get(name) if self.is_bound else self.initial.get(name)

    def _picker(self, user: User) -> None:
        """Shown choices: the search's matches and the chosen patient; their open episodes."""
        chosen = sel.patient_chosen_for_user(user=user, patient_id=self._value("patient"))
        found = sel.patients_search_for_user(user=user, query=self._value("patient_q") or "")
        if chosen is not None and chosen not in found:
            found.insert(0, chosen)
        self.patient_matches = found
        self.chosen_patient = chosen
        if "episode" not in self.fields:
            return
        episodes = (
            [] if chosen is None else list(self.fields["episode"].queryset.filter(patient=chosen))  # type: ignore[attr-defined]
        )
        self.fields["episode"].widget.choices = [
            ("", self.fields["episode"].empty_label),  # type: ignore[attr-defined]
            *[(e.pk, _episode_label(e)) for e in episodes],
        ]


class AppointmentForm(_Choices, forms.Form):
    """One appointment. The patient is chosen with the search picker (its matches, plus the
    patient already chosen, are the radio choices shown); the episode list shows only the
    chosen patient's open episodes. Validation still accepts any patient or episode of the
    organization, so a stale page's choice is checked, not lost."""

    patient_q = patient_search_field()
    patient: forms.ModelChoiceField[Patient] = patient_choice_field()
    episode: forms.ModelChoiceField[Episode] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="None (an evaluation of a new patient)",
        label="Episode of care",
        help_text="Optional for an evaluation; a treatment visit is checked against its plan.",
    )
    clinician: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(queryset=None)
    clinic: forms.ModelChoiceField[Clinic] = forms.ModelChoiceField(queryset=None, label="Location")
    room: forms.ModelChoiceField[Room] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No room"
    )
    day = forms.DateField(label="Date", widget=DATE)
    time = forms.TimeField(label="Start time", widget=TIME)
    minutes = forms.IntegerField(min_value=5, max_value=480, initial=45, label="Minutes")
    kind = forms.ChoiceField(choices=AppointmentKind.choices, initial=AppointmentKind.TREATMENT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit(
            patient=sel.patients_for_user(user=user),
            episode=sel.open_episodes_for_user(user=user),
            clinician=sel.clinicians_for_user(user=user),
            clinic=sel.clinics_for_user(user=user),
            room=sel.rooms_for_user(user=user),
        )
        self.fields["episode"].label_from_instance = _episode_label  # type: ignore[attr-defined]
        self.fields["room"].label_from_instance = _room_label  # type: ignore[attr-defined]
        self._picker(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        episode, patient = data.get("episode"), data.get("patient")
        if episode and patient and episode.patient_id != patient.pk:
            self.add_error("episode", "that episode is another patient's")
        room, clinic = data.get("room"), data.get("clinic")
        if room and clinic and room.clinic_id != clinic.pk:
            self.add_error("room", f"{room.name} is not at {clinic.name}")
        if data.get("day") and data.get("time"):
            try:
                data["starts_at"] = local_instant(data["day"], data["time"])
            except ValueError as exc:
                self.add_error("time", str(exc))
        return data

    def booking(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        names = (
            "patient",
            "episode",
            "clinician",
            "clinic",
            "room",
            "starts_at",
            "minutes",
            "kind",
        )
        return {name: self.cleaned_data[name] for name in names}


class SeriesForm(_Choices, forms.Form):
    """The plan's series; the patient is chosen with the search picker, as on AppointmentForm,
    and the episode list shows that patient's episodes with an active plan."""

    patient_q = patient_search_field()
    patient: forms.ModelChoiceField[Patient] = patient_choice_field()
    episode: forms.ModelChoiceField[Episode] = forms.ModelChoiceField(
        queryset=None,
        label="Episode of care",
        help_text="Only the patient's open episodes with an active plan of care are listed.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, label="Weekdays"
    )
    start_date = forms.DateField(label="First week starts", widget=DATE)
    time = forms.TimeField(label="Start time", widget=TIME)
    minutes = forms.IntegerField(min_value=5, max_value=480, initial=45, label="Minutes")
    clinician: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The episode's therapist"
    )
    room: forms.ModelChoiceField[Room] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No room"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit(
            patient=sel.patients_for_user(user=user),
            episode=sel.plannable_episodes_for_user(user=user),
            clinician=sel.clinicians_for_user(user=user),
            room=sel.rooms_for_user(user=user),
        )
        self.fields["episode"].label_from_instance = _episode_label  # type: ignore[attr-defined]
        self.fields["room"].label_from_instance = _room_label  # type: ignore[attr-defined]
        self._picker(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        room, episode = data.get("room"), data.get("episode")
        patient = data.get("patient")
        if episode and patient and episode.patient_id != patient.pk:
            self.add_error("episode", "that episode is another patient's")
        if room and episode and room.clinic_id != episode.clinic_id:
            self.add_error("room", f"{room.name} is not at {episode.clinic.name}")
        if data.get("start_date") and data.get("time"):
            try:
                local_instant(data["start_date"], data["time"])
            except ValueError as exc:
                self.add_error("time", str(exc))
        return data


class OutcomeForm(forms.Form):
    """A cancellation or a no-show, with its reason (and words when the reason is Other)."""

    reason = forms.ChoiceField(choices=CANCEL_REASONS, widget=forms.RadioSelect)
    detail = forms.CharField(
        required=False, max_length=160, label="Details", help_text="Required for Other."
    )

    def __init__(self, *args: Any, no_show: bool = False, **kwargs: Any) -> None:
        kwargs["prefix"] = "no_show" if no_show else "cancel"
        super().__init__(*args, **kwargs)
        self.no_show = no_show
        if no_show:
            choices_set(self, "reason", NO_SHOW_REASONS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "Other" and not data.get("detail", "").strip():
            self.add_error("detail", "say why, when the reason is Other")
        return data

    def reason_text(self) -> str:
        reason: str = self.cleaned_data["reason"]
        detail: str = self.cleaned_data["detail"].strip()
        if reason == "Other":
            return detail
        return f"{reason}: {detail}" if detail else reason


class WaitlistForm(_Choices, forms.Form):
    """A waitlist entry; the patient is chosen with the search picker, as on AppointmentForm."""

    patient_q = patient_search_field()
    patient: forms.ModelChoiceField[Patient] = patient_choice_field()
    clinician: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any clinician"
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Weekdays that suit",
        help_text="None ticked: any day.",
    )
    preferred_from = forms.TimeField(required=False, label="Earliest start", widget=TIME)
    preferred_until = forms.TimeField(required=False, label="Latest end", widget=TIME)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit(
            patient=sel.patients_for_user(user=user),
            clinician=sel.clinicians_for_user(user=user),
        )
        self._picker(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("preferred_from"), data.get("preferred_until")
        if start and end and end <= start:
            self.add_error("preferred_until", "must be later than the earliest start")
        return data


class CalendarFilterForm(_Choices, forms.Form):
    """The calendar's query string: which day, and whose or which place's appointments."""

    # Every widget written in one pass: the calendar draws this form on each view.
    day = forms.DateField(
        required=False,
        widget=QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label="Date",
    )
    # One pass per picker: a large clinic's list of clinicians is long.
    clinician: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Anyone (in the room chosen)",
        widget=QuickSelect,
    )
    clinic: forms.ModelChoiceField[Clinic] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Every location",
        label="Location",
        widget=QuickSelect,
    )
    room: forms.ModelChoiceField[Room] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Every room", widget=QuickSelect
    )
    # The day grid's columns when neither a clinician nor a room is chosen: clinicians or
    # rooms side by side, a page at a time (the links above the grid set it).
    by = forms.ChoiceField(
        choices=[("", "One clinician"), ("clinician", "Clinicians"), ("room", "Rooms")],
        required=False,
        widget=QuickHiddenInput,
    )

    def __init__(
        self, *args: Any, user: User, pickers: Pickers | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._limit(
            clinician=sel.clinicians_for_user(user=user),
            clinic=sel.clinics_for_user(user=user),
            room=sel.rooms_for_user(user=user),
        )
        # The querysets check a chosen id; the pickers show the same rows, cached.
        shown = pickers or pickers_for_user(user=user)
        for name, choices in (
            ("clinician", shown.clinicians),
            ("clinic", shown.clinics),
            ("room", shown.rooms),
        ):
            field: Any = self.fields[name]
            field.widget.choices = [("", field.empty_label), *choices]


def _episode_label(episode: Episode) -> str:
    return f"{episode.patient}: {episode.discipline} from {episode.started_on}, {episode.therapist}"


def _room_label(room: Any) -> str:
    return sel.room_label(clinic_name=room.clinic.name, room_name=room.name)
