"""Who may see which appointment: one rule, as a query.

Staff whose role schedules (`domain.access`: therapists, assistants, the front desk, clinic
admins) see every appointment of their organization; any other member of staff sees only the
visits they are the clinician of (their caseload). Portal logins see their patient's coming
visits through the patient's portal grant (`portal.selectors.appointments_for`), never here.

The calendar, the clinic day, the caseload and the appointment page start from
`visible_appointments`; opening one is its `.get` (`get_visible_appointment`), so another
organization's appointment, one the user may not see and a missing one all answer 404.
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.scheduling.models import Appointment
from otclinic.domain.access import Capability


def visible_appointments(user: Any) -> QuerySet[Appointment]:
    if not getattr(user, "is_clinic_staff", False):
        return Appointment.objects.none()
    rows = Appointment.objects.for_org(user.organization_id)
    if user_may(user, Capability.SCHEDULE):
        return rows
    return rows.filter(clinician__user=user)


def get_visible_appointment(user: Any, appointment_id: uuid.UUID | str) -> Appointment:
    return get_visible(visible_appointments(user), appointment_id, what="appointment")
