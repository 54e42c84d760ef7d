"""The daily note's forms: one form for the note's text, one formset per repeated section.

Minutes are typed on a number pad or stepped, codes come from the organization's code table
(the shipped one and the clinic's own) with the plan's interventions first, then the codes of the
episode's discipline, the rest behind "More codes"; goals from the plan: little typing, and
nothing the service cannot store. Field names (`lines-0-code`, `goals-1-value`) are what 422 answers name.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms

from otclinic.clinic.care.models import (
    CATEGORY_CHOICES,
    Equipment,
    Goal,
    Independence,
    Modification,
    NotBillableReason,
    PlanStatus,
    Room,
    TreatmentNote,
)
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.forms import choices_set
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.domain.billing.rulebook import RuleBook
from otclinic.domain.care.shorthand.jsonio import MAX_LINE_LENGTH
from otclinic.domain.codes import Role

MAX_FIELD_MINUTES = 120  # one person's minutes on one intervention, as the stepper allows
BLANK = [("", "— choose —")]
Choices = list[Any]


@dataclass(frozen=True)
class CodeChoices:
    """The code lists of an intervention row: `main` in the row's list, `more` behind the
    "More codes" disclosure, and `every` (both, by group) for checking what is posted."""

    main: Choices
    more: Choices
    every: Choices


def code_choices(
    planned: list[str], *, rulebook: RuleBook, discipline: str, assistant: bool = False
) -> CodeChoices:
    """The plan's codes first, then the codes the episode's discipline bills, then every other
    code of the organization's code table, each group under its own heading.

    The row's own list holds the plan's and the discipline's codes; the rest are one step
    away. An assistant does not evaluate (BPM ch. 15 sec. 230.1-230.2): no evaluation code is
    in their own list, whatever its discipline."""
    codes = rulebook.codes
    planned = list(dict.fromkeys(planned))
    rest = sorted(c for c in codes if c not in set(planned))
    own = [c for c in rest if discipline in codes[c].disciplines]
    other = [c for c in rest if c not in set(own)]
    groups = [
        ("In the plan of care", planned),
        (f"{discipline} codes", own),
        ("Other codes", other),
    ]

    def shown(group: list[str]) -> list[tuple[str, str]]:
        return [(c, f"{c} {codes[c].summary}" if c in codes else c) for c in group]

    def evaluates(code: str) -> bool:
        return assistant and code in codes and codes[code].is_evaluation

    main = [(h, shown([c for c in g if not evaluates(c)])) for h, g in groups[:2]]
    more_codes = [c for _, g in groups[:2] for c in g if evaluates(c)] + other
    return CodeChoices(
        main=BLANK + [(h, g) for h, g in main if g],
        more=BLANK + ([("More codes", shown(more_codes))] if more_codes else []),
        every=BLANK + [(h, shown(g)) for h, g in groups if g],
    )


def _minutes(label: str) -> forms.IntegerField:
    """Minutes typed on a number pad or stepped with the minus and plus buttons; left blank they are 0."""
    widget = forms.NumberInput(
        attrs={"inputmode": "numeric", "min": 0, "max": MAX_FIELD_MINUTES, "step": 1}
    )
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_FIELD_MINUTES,
        required=False,
        initial=0,
        widget=widget,
    )


class NoteTextForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    editor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=36)
    subjective = forms.CharField(
        label="Subjective: what the patient or caregiver reports",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    patient_response = forms.CharField(
        label="Patient response", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    changes_in_condition = forms.CharField(
        label="Changes in condition", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    assessment = forms.CharField(
        label="Assessment: progress toward goals, need for skilled care",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan_next_visit = forms.CharField(
        label="Plan for next visit", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    narrative = forms.CharField(
        label="Narrative (drafted from the entries when left blank; edit freely)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ShorthandMarked(forms.Form):
    """A row's hidden mark when the shorthand box, read as it is typed, added or filled it
    (`shorthand_fill.unfill` takes such rows back before the box is read again)."""

    from_shorthand = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)


class LineForm(ShorthandMarked):
    code = forms.ChoiceField(label="Code", required=False)
    more_code = forms.ChoiceField(label="Other code", required=False)
    category = forms.ChoiceField(label="Category", choices=BLANK + CATEGORY_CHOICES)
    assistant_minutes = _minutes("OTA alone (min)")
    therapist_minutes = _minutes("OT alone (min)")
    together_minutes = _minutes("Together (min)")
    separate_time_block = forms.BooleanField(label="Separate time block", required=False)

    def __init__(self, *args: Any, codes: CodeChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = codes or CodeChoices(BLANK, BLANK, BLANK)
        choices_set(self, "code", codes.every)
        choices_set(self, "more_code", codes.more)
        # The row's list shows the main codes, and the row's own code wherever it comes from.
        chosen = str(self["code"].value() or "")
        listed = {c for _, group in codes.main[1:] for c, _ in group}
        extra = (
            [("This line's code", [(chosen, chosen)])] if chosen and chosen not in listed else []
        )
        self.fields["code"].widget.choices = codes.main + extra

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.pop("more_code", "") or data.get("code", "")
        if not code and "code" not in self.errors:
            self.add_error("code", "Choose the intervention's code.")
        data["code"] = code
        for name in ("assistant_minutes", "therapist_minutes", "together_minutes"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class GoalForm(ShorthandMarked):
    goal = forms.ChoiceField(label="Goal")
    value = forms.DecimalField(
        label="Today's measure",
        required=False,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    comment = forms.CharField(label="Comment", required=False, max_length=255)

    def __init__(self, *args: Any, goals: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices_set(self, "goal", BLANK + (goals or []))


class EquipmentForm(ShorthandMarked):
    equipment = forms.ChoiceField(
        label="Equipment or technology", choices=BLANK + Equipment.choices
    )
    independence = forms.ChoiceField(
        label="Level of independence", choices=BLANK + Independence.choices
    )
    detail = forms.CharField(label="Detail", required=False, max_length=200)


class EnvironmentForm(ShorthandMarked):
    modification = forms.ChoiceField(label="Modification", choices=BLANK + Modification.choices)
    room = forms.ChoiceField(label="Room", choices=BLANK + Room.choices)
    rationale = forms.CharField(label="Rationale", max_length=300)


class CaregiverForm(ShorthandMarked):
    caregiver_name = forms.CharField(label="Who was trained", max_length=120)
    topic = forms.CharField(label="Topic", max_length=200)
    return_demonstration = forms.BooleanField(label="Return demonstration", required=False)
    patient_present = forms.BooleanField(label="Patient present", required=False, initial=True)
    consent_documented = forms.BooleanField(label="Patient consent documented", required=False)


def _formset(form: type[forms.Form]) -> Any:
    return forms.formset_factory(form, extra=1, can_delete=True)


LineFormSet = _formset(LineForm)
GoalFormSet = _formset(GoalForm)
EquipmentFormSet = _formset(EquipmentForm)
EnvironmentFormSet = _formset(EnvironmentForm)
CaregiverFormSet = _formset(CaregiverForm)

PREFIXES = {
    "lines": LineFormSet,
    "goals": GoalFormSet,
    "equipment": EquipmentFormSet,
    "environment": EnvironmentFormSet,
    "caregiver": CaregiverFormSet,
}


@dataclass(frozen=True)
class Entries:
    """What a page holds, as typed (valid or not): the text fields and each section's rows."""

    text: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]


class NoteForms:
    """The note's text form and its five section formsets, bound or initial, as one unit.

    `entries` (with no data) shows those entries instead of the saved note's: the page as
    posted, with rows added (shorthand's "Fill"). `editor` keeps the token of a page load whose
    editing goes on (a refused signing shows the same draft again): its autosave still in
    flight is then not a conflict."""

    def __init__(
        self,
        note: TreatmentNote,
        data: Any = None,
        *,
        entries: Entries | None = None,
        editor: str = "",
    ) -> None:
        codes = code_choices(
            planned_codes(note),
            rulebook=rulebook_for_organization(note.organization_id),
            discipline=note.episode.discipline,
            assistant=Role(note.author.user.role).is_assistant,
        )
        goals = [
            (str(g.pk), f"{g.measure}: {g.description}")
            for g in Goal.objects.filter(plan__episode=note.episode).order_by("position")
        ]
        initial = svc.content_of(note)
        self.text = NoteTextForm(
            data, initial=entries.text if entries else _text_initial(note, editor)
        )
        kwargs = {
            "lines": {"form_kwargs": {"codes": codes}},
            "goals": {"form_kwargs": {"goals": goals}},
        }
        self.sets = {
            prefix: formset(
                data,
                prefix=prefix,
                initial=None
                if data is not None
                else entries.rows[prefix]
                if entries
                else _initial(prefix, initial),
                **kwargs.get(prefix, {}),
            )
            for prefix, formset in PREFIXES.items()
        }

    @property
    def is_bound(self) -> bool:
        return self.text.is_bound

    def entries(self) -> Entries:
        """The posted entries as typed, valid or not; blank added rows and removed rows left out."""
        text = {name: self.text[name].value() for name in self.text.fields}
        rows = {}
        for prefix, formset in self.sets.items():
            kept = []
            for i, form in enumerate(formset.forms):
                extra = i >= formset.initial_form_count()
                if (extra and not form.has_changed()) or form["DELETE"].value():
                    continue
                kept.append({n: form[n].value() for n in form.fields if n != "DELETE"})
            rows[prefix] = kept
        return Entries(text=text, rows=rows)

    def is_valid(self) -> bool:
        results = [self.text.is_valid()] + [fs.is_valid() for fs in self.sets.values()]
        return all(results)

    def errors(self) -> dict[str, list[str]]:
        """Every error by field name, as the 422 answer lists them."""
        found = {k: [str(m) for m in v] for k, v in self.text.errors.items()}
        for prefix, formset in self.sets.items():
            for form in formset.forms:
                for name, messages in form.errors.items():
                    found[f"{form.prefix}-{name}"] = [str(m) for m in messages]
            if formset.non_form_errors():
                found[prefix] = [str(m) for m in formset.non_form_errors()]
        return found

    def content(self) -> svc.NoteContent:
        """The valid data as the service's input (rows left blank or deleted are skipped)."""
        rows = {prefix: _kept(fs) for prefix, fs in self.sets.items()}
        text = self.text.cleaned_data
        return svc.NoteContent(
            lines=tuple(svc.LineInput(**r) for r in rows["lines"]),
            goals=tuple(svc.GoalInput(r["goal"], r["value"], r["comment"]) for r in rows["goals"]),
            equipment=tuple(svc.EquipmentInput(**r) for r in rows["equipment"]),
            environment=tuple(svc.EnvironmentInput(**r) for r in rows["environment"]),
            caregiver=tuple(svc.CaregiverInput(**r) for r in rows["caregiver"]),
            subjective=text["subjective"],
            patient_response=text["patient_response"],
            changes_in_condition=text["changes_in_condition"],
            assessment=text["assessment"],
            plan_next_visit=text["plan_next_visit"],
            narrative=text["narrative"],
        )

    @property
    def revision(self) -> int:
        return int(self.text.cleaned_data["revision"])

    @property
    def editor(self) -> str:
        """The token of the page load that posted (see `note_save`)."""
        return str(self.text.cleaned_data.get("editor") or "")


def _kept(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        data = dict(getattr(form, "cleaned_data", {}) or {})
        data.pop("from_shorthand", None)
        if not data or data.pop("DELETE", False):
            continue
        rows.append(data)
    return rows


def planned_codes(note: TreatmentNote) -> list[str]:
    plan = note.episode.plans.filter(status=PlanStatus.ACTIVE).first()
    return list(plan.interventions.values_list("code", flat=True)) if plan else []


def _text_initial(note: TreatmentNote, editor: str = "") -> dict[str, Any]:
    return {
        "revision": note.revision,
        "editor": editor or str(uuid.uuid4()),
        "subjective": note.subjective,
        "patient_response": note.patient_response,
        "changes_in_condition": note.changes_in_condition,
        "assessment": note.assessment,
        "plan_next_visit": note.plan_next_visit,
        "narrative": note.narrative,
    }


def _initial(prefix: str, content: svc.NoteContent) -> list[dict[str, Any]]:
    if prefix == "goals":
        return [
            {"goal": str(g.goal_id), "value": g.value, "comment": g.comment} for g in content.goals
        ]
    return [dict(row.__dict__) for row in getattr(content, prefix)]


class ShorthandForm(forms.Form):
    shorthand = forms.CharField(
        label="Shorthand: one intervention a line",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Type at least one line of shorthand to fill the note from."},
    )

    def clean_shorthand(self) -> str:
        text: str = self.cleaned_data["shorthand"]
        for number, line in enumerate(text.splitlines(), start=1):
            if len(line) > MAX_LINE_LENGTH:
                raise forms.ValidationError(
                    f"Line {number} is {len(line)} characters; a line is at most {MAX_LINE_LENGTH}."
                )
        return text


class NotBillableForm(forms.Form):
    """Signing a visit as not billable: the reason is required, words too for "Other"."""

    not_billable_reason = forms.ChoiceField(
        label="Why is this visit not billed?",
        choices=BLANK + NotBillableReason.choices,
        error_messages={"required": "Choose why this visit is not billed."},
    )
    not_billable_detail = forms.CharField(
        label="Details (required for Other)", required=False, max_length=300
    )

    def statement(self) -> svc.NotBillable:
        return svc.NotBillable(
            reason=self.cleaned_data["not_billable_reason"],
            detail=self.cleaned_data["not_billable_detail"],
        )

    def errors_by_field(self) -> dict[str, list[str]]:
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}


class AddendumForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=200)
    text = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Comments for the author", widget=forms.Textarea(attrs={"rows": 3})
    )
