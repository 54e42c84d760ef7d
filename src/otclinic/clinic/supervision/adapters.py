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

from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.models import MonthlyHours, SupervisionContact, SupervisionPlan
from otclinic.clinic.supervision.plans import plans_in_force
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


def work_contexts(ota: StaffProfile, as_of: dt.date) -> tuple[WorkContext, ...]:
    """Where the OTA works and for which payers, around `as_of`."""
    return _work_contexts_of([ota], as_of)[ota.pk]


def _work_contexts_of(otas: list[Any], as_of: dt.date) -> dict[Any, tuple[WorkContext, ...]]:
    """`work_contexts` of every OTA in `otas`, in two queries (their clinics' columns, and
    their appointments' clinics and payers)."""
    found: dict[Any, set[WorkContext]] = {ota.pk: set() for ota in otas}
    assigned = StaffProfile.clinics.through.objects.filter(staffprofile_id__in=found).values_list(
        "staffprofile_id", "clinic__state", "clinic__setting"
    )
    for ota_id, state, setting in assigned:
        found[ota_id].add(WorkContext(state, Setting(setting)))
    first, last = (
        _local_day(as_of - dt.timedelta(days=LOOK_BACK_DAYS)),
        _local_day(as_of + dt.timedelta(days=LOOK_AHEAD_DAYS + 1)),
    )
    rows = (
        Appointment.objects.filter(clinician__in=otas, starts_at__gte=first, starts_at__lt=last)
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list(
            "clinician_id",
            "clinic__state",
            "clinic__setting",
            "episode__coverage__payer__plan_kind",
        )
        .order_by()
        .distinct()
    )
    for clinician_id, state, setting, plan_kind in rows:
        contexts = found[clinician_id]
        contexts.add(WorkContext(state, Setting(setting)))
        if plan_kind:
            contexts.add(WorkContext(state, Setting(setting), PayerPlan(plan_kind)))
    return {
        pk: tuple(sorted(contexts, key=lambda c: (c.state, c.setting, c.payer_plan or "")))
        for pk, contexts in found.items()
    }


def _local_day(day: dt.date) -> dt.datetime:
    """The instant a local day starts: a range on it reads the (clinician, starts_at) index."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def appointment_hours(ota: StaffProfile, month: dt.date) -> Decimal:
    """Hours of the OTA's completed appointments that started in `month`."""
    return _appointment_hours_of([ota], [month]).get((ota.pk, month), Decimal("0.00"))


def _appointment_hours_of(otas: list[Any], months: list[dt.date]) -> dict[Any, Decimal]:
    """(OTA id, month) -> hours of completed appointments that started in that month: one row
    per OTA, a sum per month over the range of instants the month spans (no per-row month)."""
    length = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    bounds = {
        m: (_local_day(m), _local_day(month_start(m + dt.timedelta(days=32)))) for m in months
    }
    sums = {
        f"m{index}": Sum(length, filter=Q(starts_at__gte=first, starts_at__lt=after))
        for index, (first, after) in enumerate(bounds.values())
    }
    rows = (
        Appointment.objects.filter(
            clinician__in=otas,
            status=AppointmentStatus.COMPLETED,
            starts_at__gte=min(first for first, _ in bounds.values()),
            starts_at__lt=max(after for _, after in bounds.values()),
        )
        .values("clinician_id")
        .annotate(**sums)
        .order_by()
    )
    hours = {}
    for row in rows:
        for index, month in enumerate(bounds):
            total = row[f"m{index}"]
            if total:
                seconds = Decimal(int(total.total_seconds()))
                hours[(row["clinician_id"], month)] = (seconds / 3600).quantize(Decimal("0.01"))
    return hours


def hours_worked(ota: StaffProfile, month: dt.date) -> tuple[Decimal, bool]:
    """(hours, from the timesheet): the timesheet entry overrides the appointments."""
    return _hours_worked_of([ota], [month])[(ota.pk, month)]


def _hours_worked_of(
    otas: list[Any], months: list[dt.date]
) -> dict[tuple[Any, dt.date], tuple[Decimal, bool]]:
    """`hours_worked` of every OTA and month, in two queries (one when the timesheet has
    every OTA's every month)."""
    sheets = {
        (ota_id, month): hours
        for ota_id, month, hours in MonthlyHours.objects.filter(
            ota__in=otas, month__in=months
        ).values_list("ota_id", "month", "hours")
    }
    covered = all((ota.pk, month) in sheets for ota in otas for month in months)
    booked = {} if covered else _appointment_hours_of(otas, months)
    return {
        (ota.pk, month): (sheets[(ota.pk, month)], True)
        if (ota.pk, month) in sheets
        else (booked.get((ota.pk, month), Decimal("0.00")), False)
        for ota in otas
        for month in months
    }


def _contact_facts_of(otas: list[Any], as_of: dt.date) -> dict[Any, tuple[Contact, ...]]:
    since = as_of - dt.timedelta(days=CONTACT_HISTORY_DAYS)
    found: dict[Any, list[Contact]] = {ota.pk: [] for ota in otas}
    rows = SupervisionContact.objects.filter(
        ota__in=otas, contact_on__range=(since, as_of)
    ).values_list("ota_id", "contact_on", "method", "minutes", "on_site_face_to_face")
    for ota_id, contact_on, method, minutes, on_site in rows:
        found[ota_id].append(Contact(contact_on, ContactMethod(method), minutes, on_site))
    return {pk: tuple(contacts) for pk, contacts in found.items()}


def ota_facts(ota: StaffProfile, as_of: dt.date) -> OtaFacts:
    """Everything the supervision engine needs about one OTA on `as_of`."""
    return ota_facts_of([ota], as_of)[ota.pk]


def ota_facts_of(otas: list[Any], as_of: dt.date) -> dict[Any, OtaFacts]:
    """`ota_facts` of every OTA in `otas`, in a fixed number of queries however many they are.
    Of each OTA it reads only the id, `practice_started_on` and `created_at`; the other rows
    are read as columns, not model rows (the dashboard judges every OTA of a clinic)."""
    plans = plans_in_force(otas=otas, day=as_of)
    months = [month_start(as_of), previous_month(as_of)]
    contexts = _work_contexts_of(otas, as_of)
    contacts = _contact_facts_of(otas, as_of)
    hours = _hours_worked_of(otas, months)
    facts = {}
    for ota in otas:
        plan = plans.get(ota.pk)
        facts[ota.pk] = OtaFacts(
            contexts=contexts[ota.pk],
            practice_started_on=ota.practice_started_on,
            setting_started_on=plan.setting_started_on if plan else None,
            supervised_since=plan.effective_from if plan else ota.created_at.date(),
            contacts=contacts[ota.pk],
            hours=tuple(MonthHours(m, hours[(ota.pk, m)][0]) for m in months),
            plan=plan_facts(plan) if plan else None,
        )
    return facts
