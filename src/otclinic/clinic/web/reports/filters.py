"""What a report is asked for: a date range and the filters (clinician, discipline, payer)."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils import timezone

from otclinic.clinic.payers.models import Payer
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.codes import CLINICIAN_ROLES, Discipline
from otclinic.domain.staffing import roles_of

MAX_DAYS = 366  # a year at most: the reports read a range, not the whole history


@dataclass(frozen=True)
class ReportFilter:
    """One organization's rows in `start`..`end` (clinic dates, both included)."""

    organization_id: uuid.UUID
    start: dt.date
    end: dt.date
    clinician_id: uuid.UUID | None = None
    discipline: Discipline | None = None
    payer_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None  # one patient's appointments (the attendance links)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The range as instants: from the start day's midnight to the day after the end's."""
        zone = ZoneInfo(timezone.get_current_timezone_name())
        first = dt.datetime.combine(self.start, dt.time(0), tzinfo=zone)
        last = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        return first, last

    def staff_q(self, path: str) -> Q:
        """The clinician and discipline filters on the staff profile at `path` ("clinician")."""
        q = Q()
        if self.clinician_id:
            q &= Q(**{f"{path}_id": self.clinician_id})
        if self.discipline:
            q &= Q(**{f"{path}__user__role__in": [r.value for r in roles_of(self.discipline)]})
        return q

    def payer_q(self, episode_path: str) -> Q:
        """The payer filter on the episode at `episode_path` (its coverage's payer; "" for the
        episode itself)."""
        if not self.payer_id:
            return Q()
        prefix = f"{episode_path}__" if episode_path else ""
        return Q(**{f"{prefix}coverage__payer_id": self.payer_id})

    def as_query(self) -> dict[str, str]:
        """The query string that asks for this filter again (the links and the CSV)."""
        query = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.clinician_id:
            query["clinician"] = str(self.clinician_id)
        if self.discipline:
            query["discipline"] = self.discipline.value
        if self.payer_id:
            query["payer"] = str(self.payer_id)
        if self.patient_id:
            query["patient"] = str(self.patient_id)
        return query

    def describe(self) -> str:
        """The filter by ids, for the audit entry of a download."""
        return " ".join(f"{k}={v}" for k, v in self.as_query().items())


def default_range(*, today: dt.date, daily: bool) -> tuple[dt.date, dt.date]:
    """Today for the end-of-day report; this month so far for the others."""
    return (today, today) if daily else (today.replace(day=1), today)


class ReportFilterForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    clinician = forms.ChoiceField(label="Clinician", required=False)
    discipline = forms.ChoiceField(
        label="Discipline",
        required=False,
        choices=[("", "Every discipline")] + [(d.value, d.value) for d in Discipline],
    )
    payer = forms.ChoiceField(label="Payer", required=False)
    patient = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clinicians = (
            StaffProfile.objects.for_org(organization_id)
            .filter(user__role__in=[r.value for r in CLINICIAN_ROLES])
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        payers = Payer.objects.filter(organization_id=organization_id).order_by("name")
        self._choices("clinician", "Every clinician", [(str(s.pk), str(s)) for s in clinicians])
        self._choices("payer", "Every payer", [(str(p.pk), p.name) for p in payers])

    def _choices(self, name: str, blank: str, rows: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", blank), *rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the range is before its start.")
        elif start and end and (end - start).days >= MAX_DAYS:
            self.add_error("end", f"Choose a range of at most {MAX_DAYS} days.")
        return data


def report_filter(
    data: Any, *, organization_id: uuid.UUID, today: dt.date, daily: bool
) -> tuple[ReportFilterForm, ReportFilter | None]:
    """The form over the query string (the default range when it names none) and what it asks
    for (None when a field is wrong: the form says which)."""
    start, end = default_range(today=today, daily=daily)
    values = {"start": start.isoformat(), "end": end.isoformat()}
    values.update({k: v for k, v in data.items() if v != ""})
    form = ReportFilterForm(values, organization_id=organization_id)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    return form, ReportFilter(
        organization_id=organization_id,
        start=cleaned["start"],
        end=cleaned["end"],
        clinician_id=uuid.UUID(cleaned["clinician"]) if cleaned["clinician"] else None,
        discipline=Discipline(cleaned["discipline"]) if cleaned["discipline"] else None,
        payer_id=uuid.UUID(cleaned["payer"]) if cleaned["payer"] else None,
        patient_id=cleaned["patient"],
    )
