"""A tenant's appointment and waitlist entry for tests/clinic/test_tenant_isolation.py."""

from typing import Any

from otclinic.clinic.scheduling.models import Appointment, WaitlistEntry
from tests.clinic import factories as f


def appointment(t: Any) -> Appointment:
    made = t.__dict__.setdefault("_made", {})
    if "appointment" not in made:
        made["appointment"] = f.AppointmentFactory(
            patient=t.patient,
            clinician=f.StaffProfileFactory(user__organization=t.org, user__role="OT"),
        )
    return made["appointment"]


def waitlist_entry(t: Any) -> WaitlistEntry:
    made = t.__dict__.setdefault("_made", {})
    if "waitlist_entry" not in made:
        made["waitlist_entry"] = WaitlistEntry.objects.create(organization=t.org, patient=t.patient)
    return made["waitlist_entry"]


ID_KINDS = {
    "appointment_id": lambda t: appointment(t).pk,
    "waitlist_entry_id": lambda t: waitlist_entry(t).pk,
}
