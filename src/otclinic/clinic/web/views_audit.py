"""The audit review page: who saw or changed a patient's record, for the clinic's admins.

Only `Capability.VIEW_AUDIT` opens it, and it lists only the admin's own organization's entries.
Choosing a patient shows their name, and the CSV holds what the filtered page lists: both are
reads of the trail, and the export leaves an entry of its own.
"""

import csv
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.review import (
    ACTIONS,
    AuditFilter,
    action_words,
    audit_entries,
    patients_named,
)
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.paging import paginate
from otclinic.clinic.patients import selectors as patient_selectors
from otclinic.clinic.patients.models import Patient
from otclinic.domain.access import Capability

PER_PAGE = 50
COLUMNS = ["when", "user", "role", "action", "record", "record id", "patients", "detail", "address"]


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Patient (name or MRN)", required=False, max_length=100, strip=True)
    patient = forms.UUIDField(required=False, widget=forms.HiddenInput)
    user = forms.ChoiceField(label="Who", required=False)
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action")] + [(k, words) for k, (words, _) in ACTIONS.items()],
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        who = self.fields["user"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [("", "Anyone")] + [
            (str(u.pk), f"{u.display_name()} ({u.get_role_display()})") for u in users
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the range is before its start.")
        return data


def _users(organization_id: uuid.UUID) -> list[User]:
    return list(User.objects.filter(organization_id=organization_id).order_by("last_name"))


def _filtered(
    request: AuthenticatedHttpRequest, users: list[User]
) -> tuple[AuditFilterForm, AuditFilter, Patient | None, list[Patient]]:
    """The filter form, what it asks for, the chosen patient, and the patients a name matched."""
    user: Any = request.user
    form = AuditFilterForm(request.GET, users=users)
    if not form.is_valid():
        return form, AuditFilter(impossible=True), None, []
    data = form.cleaned_data
    patient, matches = None, list[Any]()
    if data["patient"]:
        patient = patient_selectors.patient_get_for_user(user=user, patient_id=data["patient"])
    elif data["q"]:
        # The search is a query of every match; the filter offers the first page of them.
        found = patient_selectors.patient_search_for_user(user=user, query=data["q"])
        matches = list(found[:25])
        patient = matches[0] if len(matches) == 1 else None
    wanted = AuditFilter(
        patient_id=patient.pk if patient else None,
        actor_id=uuid.UUID(data["user"]) if data["user"] else None,
        action=data["action"],
        since=data["since"],
        until=data["until"],
        impossible=bool(data["q"]) and patient is None,
    )
    return form, wanted, patient, matches if patient is None else []


def _rows(entries: list[AuditEvent], users: dict[Any, User]) -> list[dict[str, Any]]:
    return [
        {
            "entry": e,
            "who": users[e.actor_id].display_name() if e.actor_id in users else "(system)",
            "action": action_words(e.action),
            "patients": len(patients_named(e)),
        }
        for e in entries
    ]


@dataclass(frozen=True)
class _Review:
    form: AuditFilterForm
    wanted: AuditFilter
    patient: Patient | None
    matches: list[Patient]
    entries: QuerySet[AuditEvent]
    users: dict[Any, User]


def _review(request: AuthenticatedHttpRequest) -> _Review:
    """The admin's own organization's entries that the query string asks for (403 for a role
    without VIEW_AUDIT)."""
    require(request.user, Capability.VIEW_AUDIT)
    organization_id = organization_id_of(request.user)
    users = _users(organization_id)
    form, wanted, patient, matches = _filtered(request, users)
    return _Review(
        form=form,
        wanted=wanted,
        patient=patient,
        matches=matches,
        entries=audit_entries(organization_id=organization_id, wanted=wanted),
        users={u.pk: u for u in users},
    )


@login_required
@require_GET
def audit_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    review = _review(request)
    pager = paginate(request, review.entries, per_page=PER_PAGE)
    context = {
        "form": review.form,
        "patient": review.patient,
        "matches": review.matches,
        "pager": pager,
        "rows": _rows(list(pager.rows), review.users),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "web/audit_review.html", context)


@login_required
@require_GET
def audit_review_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every entry the filters match, as CSV (ids, never names: the file travels)."""
    review = _review(request)
    entries, users, wanted = list(review.entries), review.users, review.wanted
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    out = csv.writer(response)
    out.writerow(COLUMNS)
    for e in entries:
        who = users.get(e.actor_id)
        out.writerow(
            [
                e.at.isoformat(),
                who.username if who else "",
                e.actor_role,
                action_words(e.action),
                e.object_type,
                e.object_id,
                " ".join(patients_named(e)),
                e.detail,
                e.ip_address or "",
            ]
        )
    audit_record(
        action=AuditAction.VIEW,
        object_type="audit.auditevent",
        object_id=f"{len(entries)} entries",
        detail=f"audit export: {_describe(wanted)}",
    )
    return response


def _describe(wanted: AuditFilter) -> str:
    """The filters of an export, by id (the entry records what was taken)."""
    parts = [
        f"patient={wanted.patient_id}" if wanted.patient_id else "",
        f"user={wanted.actor_id}" if wanted.actor_id else "",
        f"action={wanted.action}" if wanted.action else "",
        f"from={wanted.since}" if wanted.since else "",
        f"to={wanted.until}" if wanted.until else "",
    ]
    return " ".join(p for p in parts if p) or "everything"
