"""Constraint cases for certification requests, their reminders, sampled-review draws and the
clinic's sampling percentage (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from otclinic.clinic.care.models import (
    CertificationReminder,
    CertificationRequest,
    CosignSampleDraw,
)
from tests.clinic import factories as f

Case = Callable[[bool], object]
SENT = dt.date(2026, 1, 13)


def request_row(**fields: Any) -> CertificationRequest:
    plan = fields.pop("plan", None) or f.PlanOfCareFactory(status="active")
    values = {
        "organization": plan.organization,
        "plan": plan,
        "kind": "initial",
        "physician": f.PhysicianFactory(organization=plan.organization),
        "channel": "fax",
        "sent_on": SENT,
        "sent_by": plan.author.user,
        "deadline": SENT + dt.timedelta(days=29),
        **fields,
    }
    return CertificationRequest.objects.create(**values)


def cert_request_one_open_per_plan_and_kind(bad: bool) -> object:
    first = request_row()
    return request_row(plan=first.plan, kind="initial" if bad else "recertification")


def cert_request_refusal_has_reason(bad: bool) -> object:
    return request_row(
        status="refused",
        closed_on=SENT,
        refusal_reason="" if bad else "Wants a cardiology review before therapy.",
    )


def cert_request_closed_has_date(bad: bool) -> object:
    return request_row(status="signed", closed_on=None if bad else SENT)


def cert_request_channel_known(bad: bool) -> object:
    return request_row(channel="pigeon" if bad else "hand")


def _reminder(request: CertificationRequest, day: dt.date, step: int) -> CertificationReminder:
    return CertificationReminder.objects.create(
        organization=request.organization,
        request=request,
        step=step,
        sent_on=day,
        channel=request.channel,
    )


def cert_reminder_once_a_day(bad: bool) -> object:
    request = request_row()
    _reminder(request, SENT + dt.timedelta(days=7), 1)
    return _reminder(request, SENT + dt.timedelta(days=7 if bad else 14), 2)


def cert_reminder_step_from_1(bad: bool) -> object:
    return _reminder(request_row(), SENT + dt.timedelta(days=7), 0 if bad else 1)


def _draw(**fields: Any) -> CosignSampleDraw:
    note = f.TreatmentNoteFactory(status="signed", signed_at=timezone.now())
    values = {
        "organization": note.organization,
        "note": note,
        "clinic": note.episode.clinic,
        "percent": 20,
        "draw": 1234,
        "picked": True,
        "drawn_at": timezone.now(),
        **fields,
    }
    return CosignSampleDraw.objects.create(**values)


def sample_draw_percent_0_to_100(bad: bool) -> object:
    return _draw(percent=101 if bad else 100)


def sample_draw_in_range(bad: bool) -> object:
    return _draw(percent=100, draw=10_000 if bad else 9_999)


def sample_draw_picked_matches_draw(bad: bool) -> object:
    # 20% picks draws 0-1999: 2000 is not picked.
    return _draw(draw=2000, picked=bad)


def sample_draw_not_picked_below_threshold(bad: bool) -> object:
    return _draw(draw=1999, picked=not bad)


def clinic_cosign_sample_percent_0_to_100(bad: bool) -> object:
    return f.ClinicFactory(cosign_sample_percent=101 if bad else 100)


CARE_FOLLOWUP_CASES: list[tuple[str, Case]] = [
    ("cert_request_one_open_per_plan_and_kind", cert_request_one_open_per_plan_and_kind),
    ("cert_request_refusal_has_reason", cert_request_refusal_has_reason),
    ("cert_request_closed_has_date", cert_request_closed_has_date),
    ("cert_request_channel_known", cert_request_channel_known),
    ("cert_reminder_once_a_day", cert_reminder_once_a_day),
    ("cert_reminder_step_from_1", cert_reminder_step_from_1),
    ("sample_draw_percent_0_to_100", sample_draw_percent_0_to_100),
    ("sample_draw_in_range", sample_draw_in_range),
    ("sample_draw_picked_matches_draw", sample_draw_picked_matches_draw),
    ("sample_draw_picked_matches_draw", sample_draw_not_picked_below_threshold),
    ("clinic_cosign_sample_percent_0_to_100", clinic_cosign_sample_percent_0_to_100),
]
