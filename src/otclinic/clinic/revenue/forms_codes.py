"""The form of the Billing codes page: one code of the clinic's own table.

It only reads what was typed; the service checks the entry with the code table's own rules and
its refusals land on the field they name (`common.errors.add_errors`).
"""

from typing import Any

from django import forms

from otclinic.clinic.payers.models import ClinicBillingCode, CodeKindChoice, DisciplineLimit
from otclinic.domain.billing.codebook import BLOCK_MINUTES
from otclinic.domain.codes import Discipline


class ClinicCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=5,
        help_text="CPT or HCPCS, five characters, e.g. T1015.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    summary = forms.CharField(
        label="What it is",
        max_length=200,
        help_text="In your own words (the AMA's descriptor texts are licensed).",
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text=(
            "Where the code comes from: the payer's bulletin or the state Medicaid fee "
            "schedule, with its date or section."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(
        label="Units",
        choices=CodeKindChoice.choices,
        initial=CodeKindChoice.TIMED,
        widget=forms.RadioSelect,
    )
    unit_minutes = forms.IntegerField(
        label="Minutes per unit (timed codes)",
        required=False,
        initial=BLOCK_MINUTES,
        help_text="15-minute codes are counted together (total time); other lengths each alone.",
        widget=forms.NumberInput(attrs={"min": 1, "max": 480, "inputmode": "numeric"}),
    )
    disciplines = forms.MultipleChoiceField(
        label="Who bills it",
        choices=[(d.value, d.value) for d in Discipline],
        initial=[d.value for d in Discipline],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    discipline_limit = forms.ChoiceField(
        label="Billed under another discipline",
        choices=DisciplineLimit.choices,
        initial=DisciplineLimit.USUAL,
    )
    effective_from = forms.DateField(
        label="First date of service",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    effective_to = forms.DateField(
        label="Last date of service",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    addon_to = forms.CharField(
        label="Add-on to",
        required=False,
        max_length=60,
        help_text="Only for an add-on code: its primary codes, separated by spaces.",
    )

    def __init__(self, *args: Any, record: ClinicBillingCode | None = None, **kwargs: Any) -> None:
        """`record`: the code being changed; its code is shown but cannot be changed here."""
        if record is not None:
            kwargs.setdefault("initial", initial_of(record))
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "To change the code itself, remove it and add another."
        for name in ("effective_from", "effective_to"):
            self.fields[name].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_addon_to(self) -> list[str]:
        addon_to: str = self.cleaned_data["addon_to"]
        return addon_to.replace(",", " ").upper().split()


def initial_of(record: ClinicBillingCode) -> dict[str, Any]:
    """A saved code as the form's initial values."""
    return {
        "code": record.code,
        "summary": record.summary,
        "source": record.source,
        "kind": record.kind,
        "unit_minutes": record.unit_minutes,
        "disciplines": record.disciplines,
        "discipline_limit": record.discipline_limit,
        "addon_to": " ".join(record.addon_to),
        "effective_from": record.effective_from,
        "effective_to": record.effective_to,
    }
