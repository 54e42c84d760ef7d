"""Adapter: an OTA's rows as the supervision engine's facts (domain.compliance.supervision_contacts).

- Work contexts: each clinic the OTA is assigned to, and each (clinic, payer) of their
  appointments from 90 days back to 30 days ahead: the payer mix the packs are keyed by.
- Hours worked per month: a clinic admin's timesheet entry (`MonthlyHours`) when there is one;
  otherwise the summed length of the OTA's completed appointments in that month.
- Practice start: the staff profile's; setting start and the plan: the plan in force.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, Sum

from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.supervision.models import MonthlyHours, SupervisionContact, SupervisionPlan
from otclinic.clinic.supervision.plans import plan_in_force
from otclinic.domain.codes import PayerPlan, Setting
from otclinic.domain.compliance.supervision_contacts import (
    Contact,
    MonthHours,
    OtaFacts,
    Plan,
)
from otclinic.domain.compliance.supervision_packs import ContactMethod, WorkContext

LOOK_BACK_DAYS = 90
LOOK_AHEAD_DAYS = 30
CONTACT_HISTORY_DAYS = 400


def plan_facts(plan: SupervisionPlan) -> Plan:
    return Plan(
        every_days=plan.contact_every_days,
        methods=frozenset(ContactMethod(m) for m in plan.methods),
        notes_cosigned=plan.notes_cosigned,
    )


def work_contexts(ota: Any, as_of: dt.date) -> tuple[WorkContext, ...]:
    """Where the OTA works and for which payers, around `as_of`."""
    contexts = {WorkContext(c.state, Setting(c.setting)) for c in ota.clinics.all()}
    window = (as_of - dt.timedelta(days=LOOK_BACK_DAYS), as_of + dt.timedelta(days=LOOK_AHEAD_DAYS))
    rows = (
        Appointment.objects.filter(clinician=ota, starts_at__date__range=window)
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list("clinic__state", "clinic__setting", "episode__coverage__payer__plan_kind")
        .distinct()
    )
    for state, setting, plan_kind in rows:
        contexts.add(WorkContext(state, Setting(setting)))
        if plan_kind:
            contexts.add(WorkContext(state, Setting(setting), PayerPlan(plan_kind)))
    return tuple(sorted(contexts, key=lambda c: (c.state, c.setting, c.payer_plan or "")))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def appointment_hours(ota: Any, month: dt.date) -> Decimal:
    """Hours of the OTA's completed appointments that started in `month`."""
    following = month_start(month + dt.timedelta(days=32))
    length = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    total = (
        Appointment.objects.filter(
            clinician=ota,
            status=AppointmentStatus.COMPLETED,
            starts_at__date__gte=month,
            starts_at__date__lt=following,
        )
        .annotate(length=length)
        .aggregate(total=Sum("length"))["total"]
    )
    seconds = Decimal(int(total.total_seconds())) if total else Decimal(0)
    return (seconds / 3600).quantize(Decimal("0.01"))


def hours_worked(ota: Any, month: dt.date) -> tuple[Decimal, bool]:
    """(hours, from the timesheet): the timesheet entry overrides the appointments."""
    entry = MonthlyHours.objects.filter(ota=ota, month=month).first()
    if entry is not None:
        return entry.hours, True
    return appointment_hours(ota, month), False


def contact_facts(ota: Any, as_of: dt.date) -> tuple[Contact, ...]:
    since = as_of - dt.timedelta(days=CONTACT_HISTORY_DAYS)
    rows = SupervisionContact.objects.filter(ota=ota, contact_on__range=(since, as_of))
    return tuple(
        Contact(c.contact_on, ContactMethod(c.method), c.minutes, c.on_site_face_to_face)
        for c in rows
    )


def ota_facts(ota: Any, as_of: dt.date) -> OtaFacts:
    """Everything the supervision engine needs about one OTA on `as_of`."""
    plan = plan_in_force(ota=ota, day=as_of)
    months = (month_start(as_of), previous_month(as_of))
    return OtaFacts(
        contexts=work_contexts(ota, as_of),
        practice_started_on=ota.practice_started_on,
        setting_started_on=plan.setting_started_on if plan else None,
        supervised_since=plan.effective_from if plan else ota.created_at.date(),
        contacts=contact_facts(ota, as_of),
        hours=tuple(MonthHours(m, hours_worked(ota, m)[0]) for m in months),
        plan=plan_facts(plan) if plan else None,
    )
