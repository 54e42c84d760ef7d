"""Forms for the therapist's documents. They parse; the services decide what is allowed."""

import uuid
from decimal import Decimal
from typing import Any

from django import forms

from otclinic.clinic.care.models import (
    CATEGORY_CHOICES,
    CertificationChannel,
    Episode,
    GoalStatus,
    GoalTerm,
)
from otclinic.clinic.common.forms import choices_from
from otclinic.clinic.patients.models import PatientDiagnosis
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals.models import (
    DISCIPLINE_CHOICES,
    PhysicianChannel,
    ReferringPhysician,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.care.assessments import SCALES, Instrument, MeasureSet
from otclinic.domain.care.complexity import DecisionMaking, HistoryReview

DATE = forms.DateInput(attrs={"type": "date"})


def _org_choices(queryset: Any, organization_id: uuid.UUID) -> Any:
    return queryset.filter(organization_id=organization_id)


class ReferralForm(forms.Form):
    physician: forms.ModelChoiceField[ReferringPhysician] = forms.ModelChoiceField(
        queryset=None, label="Referring physician"
    )
    discipline = forms.ChoiceField(choices=DISCIPLINE_CHOICES, initial="OT")
    signed_on = forms.DateField(widget=DATE, label="Signed on")
    received_on = forms.DateField(widget=DATE, required=False, label="Received on")
    names_discipline = forms.BooleanField(
        required=False, initial=True, label="The order names this discipline"
    )
    diagnosis_codes = forms.CharField(
        label="Diagnosis codes (ICD-10-CM)",
        help_text="Separate codes with commas or spaces, e.g. I69.351, M19.011",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, organization_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "physician", ReferringPhysician.objects.for_org(organization_id))

    def clean_diagnosis_codes(self) -> list[str]:
        raw = self.cleaned_data["diagnosis_codes"].replace(",", " ").split()
        return [code.strip() for code in raw if code.strip()]


class EpisodeOpenForm(forms.Form):
    therapist: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None, label="Responsible therapist"
    )
    started_on = forms.DateField(widget=DATE, label="Starts on")
    coverage: forms.ModelChoiceField[Coverage] = forms.ModelChoiceField(
        queryset=None, required=False
    )

    def __init__(self, *args: Any, referral: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(
            self,
            "therapist",
            StaffProfile.objects.for_org(referral.organization_id)
            .filter(user__role=referral.discipline, active=True)
            .select_related("user"),
        )
        choices_from(self, "coverage", referral.patient.coverages.select_related("payer"))


def _score_field(instrument: Instrument, side: str, age: int | None) -> forms.DecimalField:
    scale = SCALES[instrument]
    where = f" ({side} hand)" if side else ""
    label = f"{scale.label}{where}, {scale.low:f} to {scale.high:f} {scale.unit}"
    norm = scale.norm_for(age) if age is not None else None
    help_text = scale.scoring + (f" Compare with: {norm.source}." if norm else "")
    return forms.DecimalField(
        required=False, label=label, help_text=help_text, max_digits=6, decimal_places=2
    )


def score_fields(measure_set: MeasureSet) -> dict[str, tuple[Instrument, str]]:
    """The form's score fields for a measure set: one per instrument, or one per hand."""
    fields: dict[str, tuple[Instrument, str]] = {}
    for instrument in measure_set.instruments:
        sides = ("left", "right") if SCALES[instrument].sided else ("",)
        for side in sides:
            fields[f"{instrument.value}_{side}" if side else instrument.value] = (instrument, side)
    return fields


_CHOOSE = [("", "Choose one")]
HISTORY_CHOICES = [
    *_CHOOSE,
    (HistoryReview.BRIEF.value, "Brief: records of the presenting problem (low, 97165)"),
    (
        HistoryReview.EXPANDED.value,
        "Expanded: plus physical, cognitive or psychosocial history (moderate, 97166)",
    ),
    (
        HistoryReview.EXTENSIVE.value,
        "Extensive: plus an extensive review of that history (high, 97167)",
    ),
]
DECISION_CHOICES = [
    *_CHOOSE,
    (DecisionMaking.LOW.value, "Low: limited treatment options, no modification needed (97165)"),
    (
        DecisionMaking.MODERATE.value,
        "Moderate: several options, minimal to moderate modification (97166)",
    ),
    (DecisionMaking.HIGH.value, "High: multiple options, significant modification (97167)"),
]


class EvaluationForm(forms.Form):
    performed_on = forms.DateField(widget=DATE, label="Evaluated on")
    occupational_profile = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    history = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    performance_deficits = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    history_review = forms.ChoiceField(
        choices=HISTORY_CHOICES,
        label="Profile and history review",
        help_text="How much of the occupational profile and history you reviewed.",
        error_messages={
            "required": "Choose how much history you reviewed: brief, expanded or "
            "extensive (it selects 97165, 97166 or 97167)."
        },
    )
    deficit_count = forms.IntegerField(
        min_value=0,
        max_value=30,
        label="Performance deficits identified",
        help_text="1-2: low · 3-4: moderate · 5 or more: high",
        error_messages={"required": "Count the performance deficits you identified (1 or more)."},
    )
    decision_making = forms.ChoiceField(
        choices=DECISION_CHOICES,
        label="Clinical decision making",
        help_text="The code is the lowest level all three components meet (CPT 97165-97167).",
        error_messages={"required": "Choose the clinical decision making: low, moderate or high."},
    )

    def __init__(
        self,
        *args: Any,
        measure_set: MeasureSet,
        age: int | None = None,
        reevaluation: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.measure_set = measure_set
        self.score_fields = score_fields(measure_set)
        for name, (instrument, side) in self.score_fields.items():
            self.fields[name] = _score_field(instrument, side, age)
        if reevaluation:
            for name in ("history_review", "deficit_count", "decision_making"):
                del self.fields[name]

    def document(self) -> dict[str, Any]:
        """The evaluation's own fields, without the scores."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.score_fields}

    def scores(self) -> list[tuple[str, Decimal, str]]:
        return [
            (instrument.value, self.cleaned_data[name], side)
            for name, (instrument, side) in self.score_fields.items()
            if self.cleaned_data.get(name) is not None
        ]


class PlanForm(forms.Form):
    established_on = forms.DateField(widget=DATE, label="Evaluation day (day 1)")
    frequency_per_week = forms.IntegerField(min_value=1, max_value=14, label="Visits a week")
    duration_weeks = forms.IntegerField(min_value=1, max_value=52, label="Weeks")
    duration_days = forms.IntegerField(min_value=1, max_value=366, label="Plan length in days")
    diagnoses: forms.ModelMultipleChoiceField[PatientDiagnosis] = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ranked in the order of the list; the first is primary.",
    )
    certifying_physician: forms.ModelChoiceField[ReferringPhysician] = forms.ModelChoiceField(
        queryset=None, required=False
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "diagnoses", episode.patient.diagnoses.all())
        choices_from(
            self,
            "certifying_physician",
            ReferringPhysician.objects.for_org(episode.organization_id),
        )


class GoalForm(forms.Form):
    term = forms.ChoiceField(choices=GoalTerm.choices)
    description = forms.CharField(label="Goal", widget=forms.TextInput(attrs={"size": 50}))
    measure = forms.CharField(required=False, help_text="What is measured, e.g. Barthel Index")
    unit = forms.CharField(required=False)
    baseline = forms.DecimalField(required=False, max_digits=8, decimal_places=2)
    target = forms.DecimalField(required=False, max_digits=8, decimal_places=2)
    target_date = forms.DateField(required=False, widget=DATE, label="Target date")


class InterventionForm(forms.Form):
    category = forms.ChoiceField(choices=CATEGORY_CHOICES)
    code = forms.CharField(max_length=5, help_text="CPT or HCPCS, e.g. 97535")
    description = forms.CharField(required=False, max_length=200)


class CertificationForm(forms.Form):
    verbal_on = forms.DateField(widget=DATE, required=False, label="Verbal certification on")
    signed_on = forms.DateField(widget=DATE, required=False, label="Signed certification on")
    delay_reason = forms.CharField(required=False, max_length=255, label="Reason for any delay")


class SendForm(forms.Form):
    sent_on = forms.DateField(widget=DATE, label="Sent on")
    channel = forms.ChoiceField(
        choices=[
            ("", "The physician's preferred way (fax or Direct)"),
            *CertificationChannel.choices,
        ],
        initial="",
        required=False,
        label="How to send it",
    )


class RecordSendForm(forms.Form):
    """Send a signed evaluation, progress report or discharge summary to the physician."""

    channel = forms.ChoiceField(
        choices=[("", "The physician's preferred way"), *PhysicianChannel.choices],
        initial="",
        required=False,
        label="How to send it",
    )


class ReminderForm(forms.Form):
    """A reminder sent by hand: a fax, a call, a portal message (the request is a hidden field)."""

    request = forms.UUIDField(widget=forms.HiddenInput)
    sent_on = forms.DateField(widget=DATE, label="Reminder sent on")
    channel = forms.ChoiceField(
        choices=[("", "As the plan was sent"), *CertificationChannel.choices],
        required=False,
        label="How the reminder was sent",
    )
    note = forms.CharField(
        required=False, max_length=200, label="Note (e.g. spoke with the office manager)"
    )


class RefuseForm(forms.Form):
    request = forms.UUIDField(widget=forms.HiddenInput)
    refused_on = forms.DateField(widget=DATE, label="Refused on")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Physician's reason")


class RecertifyForm(forms.Form):
    physician: forms.ModelChoiceField[ReferringPhysician] = forms.ModelChoiceField(queryset=None)
    certified_on = forms.DateField(widget=DATE, label="Signed on")
    frequency_per_week = forms.IntegerField(min_value=1, max_value=14, label="Visits a week")
    duration_weeks = forms.IntegerField(min_value=1, max_value=52, label="Weeks")
    duration_days = forms.IntegerField(min_value=1, max_value=366, label="New period in days")

    def __init__(self, *args: Any, organization_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "physician", ReferringPhysician.objects.for_org(organization_id))


class ProgressDraftForm(forms.Form):
    report_date = forms.DateField(widget=DATE, label="Report date")
    objective_findings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Objective findings (measurements)"
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GoalAssessmentsForm(forms.Form):
    """One status, value and comment per goal of the plan, named goal_<id>_<part>."""

    def __init__(self, *args: Any, goals: list[Any], outcome: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [c for c in GoalStatus.choices if not (outcome and c[0] == GoalStatus.ACTIVE)]
        self.goals = goals
        for goal in goals:
            self.fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                choices=statuses, label=f"{goal.description}: status"
            )
            self.fields[f"goal_{goal.pk}_value"] = forms.DecimalField(
                required=False,
                max_digits=8,
                decimal_places=2,
                label=f"{goal.measure} now ({goal.unit or 'value'})",
            )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                required=False, label="Comment"
            )

    def rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (
                g,
                self[f"goal_{g.pk}_status"],
                self[f"goal_{g.pk}_value"],
                self[f"goal_{g.pk}_comment"],
            )
            for g in self.goals
        ]

    def assessments(self) -> list[tuple[Any, str, Decimal | None, str]]:
        data = self.cleaned_data
        return [
            (
                g,
                data[f"goal_{g.pk}_status"],
                data.get(f"goal_{g.pk}_value"),
                data.get(f"goal_{g.pk}_comment", ""),
            )
            for g in self.goals
        ]


class ProgressCompleteForm(GoalAssessmentsForm):
    assessment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Assessment")
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Plan")
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


DISCHARGE_REASONS = [
    ("goals_met", "Goals met"),
    ("plateau", "Plateau in progress"),
    ("patient_choice", "Patient's choice"),
    ("medical", "Medical change"),
    ("benefits", "Benefits exhausted"),
    ("other", "Other"),
]


class DischargeForm(GoalAssessmentsForm):
    discharge_date = forms.DateField(widget=DATE, label="Discharge date")
    reason = forms.ChoiceField(choices=DISCHARGE_REASONS)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, goals=goals, outcome=True, **kwargs)


class HomeProgramForm(forms.Form):
    audience = forms.ChoiceField(
        choices=[("patient", "Home program for the patient"), ("caregiver", "Caregiver handout")]
    )
    shared_with_portal = forms.BooleanField(required=False, label="Share in the patient portal")
