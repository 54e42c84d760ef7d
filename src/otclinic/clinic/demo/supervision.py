"""The demo clinic's OTA supervision: a written plan per OTA and a few logged contacts.

Each OTA gets a plan naming their supervising OT (a contact every 14 days, in person or by
video, notes initialed) and two contacts; the demo OT's first supervisee was last seen 40 days
ago, so the supervision dashboard shows one overdue OTA (Ohio asks for a contact at least
monthly after the first year, OAC 4755-7-04). Content is synthetic. Rows are written with
bulk_create (the seed records one audit entry for the whole run); running it again adds nothing
once the organization has a plan.
"""

import datetime as dt
import uuid
from typing import Any

from otclinic.clinic.accounts.models import User
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.models import SupervisionContact, SupervisionPlan
from otclinic.domain.codes import Role

DEMO_OT = "ot.demo"
OVERDUE_DAYS_AGO = 40
CONTENT = (
    "Reviewed the caseload and the week's notes; observed a transfer session; progressed the "
    "home program with the OT.",
    "Phone check-in: discussed a patient's fatigue and pacing; no change to the plan of care.",
)


def add_supervision(organization_id: uuid.UUID, today: dt.date) -> int:
    """Plans and contacts for the demo OTAs, unless a plan exists; the number of rows added."""
    if SupervisionPlan.objects.filter(organization_id=organization_id).exists():
        return 0
    otas = list(
        StaffProfile.objects.filter(organization_id=organization_id, user__role=Role.OTA)
        .exclude(supervising_ot=None)
        .select_related("supervising_ot__user")
        .order_by("user__username")
    )
    recorder = User.objects.filter(organization_id=organization_id, role=Role.CLINIC_ADMIN).first()
    if not otas or recorder is None:
        return 0
    overdue = next(
        (o for o in otas if o.supervising_ot and o.supervising_ot.user.username == DEMO_OT), otas[0]
    )
    plans = [_plan(ota, today) for ota in otas]
    contacts, links = [], []
    for ota in otas:
        recent = OVERDUE_DAYS_AGO if ota.pk == overdue.pk else 3
        for days_ago, method, content in [
            (recent, "in_person", CONTENT[0]),
            (recent + 12, "phone", CONTENT[1]),
        ]:
            contact = _contact(ota, recorder, today - dt.timedelta(days=days_ago), method, content)
            contacts.append(contact)
            links += _patients_discussed(contact, ota)
    SupervisionPlan.objects.bulk_create(plans)
    SupervisionContact.objects.bulk_create(contacts)
    SupervisionContact.patients.through.objects.bulk_create(links)
    return len(plans) + len(contacts) + len(links)


def _plan(ota: StaffProfile, today: dt.date) -> SupervisionPlan:
    return SupervisionPlan(
        id=uuid.uuid4(),
        organization_id=ota.organization_id,
        ota=ota,
        supervising_ot=ota.supervising_ot,
        contact_every_days=14,
        by_in_person=True,
        by_video=True,
        notes_cosigned=False,
        effective_from=today - dt.timedelta(days=120),
        setting_started_on=ota.practice_started_on,
    )


def _contact(
    ota: StaffProfile, recorder: User, day: dt.date, method: str, content: str
) -> SupervisionContact:
    return SupervisionContact(
        id=uuid.uuid4(),
        organization_id=ota.organization_id,
        ota=ota,
        supervisor=ota.supervising_ot,
        contact_on=day,
        method=method,
        minutes=45 if method == "in_person" else 15,
        on_site_face_to_face=method == "in_person",
        content=content,
        recorded_by=recorder,
    )


# The rows of the contact's auto-created patients table (a model with no name of its own).
def _patients_discussed(contact: SupervisionContact, ota: StaffProfile) -> list[Any]:
    seen = (
        Appointment.objects.filter(clinician=ota, starts_at__date__lte=contact.contact_on)
        .order_by("-starts_at")
        .values_list("patient_id", flat=True)[:1]
    )
    through = SupervisionContact.patients.through
    return [through(supervisioncontact_id=contact.pk, patient_id=pid) for pid in seen]
