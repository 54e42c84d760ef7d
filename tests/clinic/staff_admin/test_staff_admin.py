"""Staff administration in the app: add and invite, deactivate and reactivate, and hand a
leaving clinician's caseload to another in one checked transaction."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.accounts.models import Invitation, OutboundEmail, User
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import Episode, NoteStatus
from otclinic.clinic.care.selectors import cosign_queue_for_user
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.models import SupervisionPlan
from tests.clinic import factories as f
from tests.clinic.factories import PASSWORD
from tests.clinic.fieldwork.helpers import placement_row
from tests.clinic.supervision.helpers import VETERAN, Team, plan_row, team
from tests.clock import TODAY, now

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _add(t: Team, **kw: str) -> Any:
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.org",
        "role": "OT",
        "credentials": "OTR/L",
        "npi": "",
    }
    data.update(kw)
    return _client(t.admin).post("/staff-admin/", data)


def test_the_admin_adds_a_member_of_staff_who_is_invited_by_email() -> None:
    t = team()
    response = _add(t)
    assert response.status_code == 302
    staff = StaffProfile.objects.get(user__email="grace@example.org")
    assert staff.organization_id == t.org.pk and staff.user.role == "OT"
    assert staff.credentials == "OTR/L" and not staff.user.has_usable_password()
    assert Invitation.objects.filter(user=staff.user).count() == 1
    assert OutboundEmail.objects.filter(to=["grace@example.org"]).count() == 1
    assert AuditEvent.objects.filter(
        object_type="staff.staffprofile", object_id=str(staff.pk)
    ).exists()


def test_an_email_that_already_signs_in_is_refused_by_name() -> None:
    t = team()
    _add(t)
    again = _add(t, first_name="Other")
    assert again.status_code == 422
    assert (
        "Email (the invitation goes here; it is their sign-in): grace@example.org already signs in"
        in again.content.decode()
    )
    assert StaffProfile.objects.filter(user__email="grace@example.org").count() == 1


def _signs_in(user: Any) -> bool:
    """Whether the sign-in page lets `user` in (it sends them on) with their password."""
    response = Client().post("/login/", {"username": user.username, "password": PASSWORD})
    return response.status_code == 302


def test_a_deactivated_member_cannot_sign_in_until_reactivated() -> None:
    t = team()
    user = t.ota.user
    assert _signs_in(user)
    admin = _client(t.admin)
    admin.post(f"/staff-admin/{t.ota.pk}/active/", {"active": "0"})
    admin.post(f"/staff-admin/{t.ota.pk}/active/", {"active": "0"})  # twice is once
    assert not _signs_in(user)
    assert AuditEvent.objects.filter(detail="staff deactivated").count() == 1
    admin.post(f"/staff-admin/{t.ota.pk}/active/", {"active": "1"})
    assert _signs_in(user)


class Caseload:
    """An OT leaving with a future appointment, an open episode, an OTA under a written plan
    and that OTA's note waiting for co-signature; another OT to take it all."""

    def __init__(self) -> None:
        self.t = team()
        t = self.t
        plan_row(t, effective_from=TODAY - dt.timedelta(days=60))
        self.next_ot = f.StaffProfileFactory(
            user__organization=t.org,
            user__role="OT",
            nbcot_credential="OTR",
            practice_started_on=VETERAN,
        )
        self.next_ot.clinics.add(t.clinic)
        patient = f.PatientFactory(organization=t.org, home_clinic=t.clinic)
        self.episode = f.EpisodeFactory(patient=patient, therapist=t.ot)
        start = now() + dt.timedelta(days=1)
        self.appointment = f.AppointmentFactory(
            patient=patient,
            clinician=t.ot,
            episode=self.episode,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=45),
        )
        self.note = f.TreatmentNoteFactory(
            episode=self.episode,
            author=t.ota,
            status=NoteStatus.COSIGN_PENDING,
            signed_at=now(),
            date_of_service=TODAY,
        )


def test_the_caseload_moves_to_another_ot_in_one_step() -> None:
    c = Caseload()
    t = c.t
    admin = _client(t.admin)
    admin.post(f"/staff-admin/{t.ot.pk}/active/", {"active": "0"})
    page = admin.get(f"/staff-admin/{t.ot.pk}/").content.decode()
    assert "1 future appointment<" in page and "1 open episode as therapist" in page
    response = admin.post(f"/staff-admin/{t.ot.pk}/reassign/", {"to": str(c.next_ot.pk)})
    assert response.status_code == 302
    assert Appointment.objects.get(pk=c.appointment.pk).clinician_id == c.next_ot.pk
    assert Episode.objects.get(pk=c.episode.pk).therapist_id == c.next_ot.pk
    assert StaffProfile.objects.get(pk=t.ota.pk).supervising_ot_id == c.next_ot.pk
    in_force = SupervisionPlan.objects.filter(ota=t.ota, effective_to__isnull=True).get()
    assert in_force.supervising_ot_id == c.next_ot.pk and in_force.effective_from == TODAY
    entry = AuditEvent.objects.get(detail__startswith="caseload handed to")
    assert "1 appointments, 1 episodes, 1 assistants, 1 notes to co-sign" in entry.detail


def _student_waiting(c: Caseload) -> tuple[FieldworkPlacement, Any]:
    """A fieldwork student the leaving OT educates (placed below the service, so the student's
    supervisor on file is not the educator) with a note waiting for the co-signature."""
    student = f.StaffProfileFactory(user__organization=c.t.org, user__role="student", npi="")
    placement = placement_row(
        student=student,
        educator=c.t.ot,
        starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=30),
    )
    note = f.TreatmentNoteFactory(
        episode=c.episode,
        author=student,
        status=NoteStatus.COSIGN_PENDING,
        signed_at=now(),
        date_of_service=TODAY,
    )
    return placement, note


def test_a_fieldwork_students_waiting_note_moves_with_the_caseload() -> None:
    c = Caseload()
    t = c.t
    placement, note = _student_waiting(c)
    admin = _client(t.admin)
    page = admin.get(f"/staff-admin/{t.ot.pk}/").content.decode()
    assert "1 fieldwork student educated" in page and "2 notes waiting for co-signature" in page
    assert str(placement.student) in page
    response = admin.post(f"/staff-admin/{t.ot.pk}/reassign/", {"to": str(c.next_ot.pk)})
    assert response.status_code == 302
    assert FieldworkPlacement.objects.get(pk=placement.pk).educator_id == c.next_ot.pk
    assert StaffProfile.objects.get(pk=placement.student_id).supervising_ot_id == c.next_ot.pk
    waiting = set(cosign_queue_for_user(user=c.next_ot.user).values_list("pk", flat=True))
    assert waiting == {c.note.pk, note.pk}
    entry = AuditEvent.objects.get(detail__startswith="caseload handed to")
    assert "2 notes to co-sign, 1 fieldwork students" in entry.detail


def test_an_educator_whose_placement_ended_still_hands_over_the_students_waiting_note() -> None:
    c = Caseload()
    placement, note = _student_waiting(c)
    FieldworkPlacement.objects.filter(pk=placement.pk).update(ends_on=TODAY - dt.timedelta(days=1))
    note.date_of_service = TODAY - dt.timedelta(days=2)
    note.save()
    response = _client(c.t.admin).post(
        f"/staff-admin/{c.t.ot.pk}/reassign/", {"to": str(c.next_ot.pk)}
    )
    assert response.status_code == 302
    assert FieldworkPlacement.objects.get(pk=placement.pk).educator_id == c.next_ot.pk


def test_a_clinician_who_may_not_educate_the_student_is_refused_and_nothing_moves() -> None:
    c = Caseload()
    placement, _ = _student_waiting(c)
    StaffProfile.objects.filter(pk=c.next_ot.pk).update(practice_started_on=None)
    response = _client(c.t.admin).post(
        f"/staff-admin/{c.t.ot.pk}/reassign/", {"to": str(c.next_ot.pk)}
    )
    assert response.status_code == 422
    assert f"Fieldwork student {placement.student}: " in response.content.decode()
    assert FieldworkPlacement.objects.get(pk=placement.pk).educator_id == c.t.ot.pk
    assert Episode.objects.get(pk=c.episode.pk).therapist_id == c.t.ot.pk


def test_an_assistant_cannot_take_over_episodes_and_nothing_moves() -> None:
    c = Caseload()
    t = c.t
    other_ota = f.StaffProfileFactory(user__organization=t.org, user__role="OTA")
    response = _client(t.admin).post(f"/staff-admin/{t.ot.pk}/reassign/", {"to": str(other_ota.pk)})
    assert response.status_code == 422
    assert "Episodes need a therapist" in response.content.decode()
    assert Appointment.objects.get(pk=c.appointment.pk).clinician_id == t.ot.pk
    assert Episode.objects.get(pk=c.episode.pk).therapist_id == t.ot.pk


def test_another_organizations_staff_is_not_found() -> None:
    t = team()
    stranger = f.StaffProfileFactory(user__role="OT")
    admin = _client(t.admin)
    assert admin.get(f"/staff-admin/{stranger.pk}/").status_code == 404
    assert admin.post(f"/staff-admin/{stranger.pk}/active/", {"active": "0"}).status_code == 404
    assert User.objects.get(pk=stranger.user_id).is_active


@pytest.mark.parametrize("role", ["OT", "front_desk", "biller"])
def test_only_the_clinic_admin_administers_staff(role: str) -> None:
    t = team()
    user = f.staff_user(organization=t.org, role=role)
    assert _client(user).get("/staff-admin/").status_code == 403
    assert (
        _client(user).post(f"/staff-admin/{t.ota.pk}/active/", {"active": "0"}).status_code == 403
    )


def test_an_edit_records_which_details_changed_and_saving_again_changes_nothing() -> None:
    t = team()
    user = t.ota.user
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "ota@example.org",
        "role": "OTA",
        "credentials": "COTA/L, CLT",
        "npi": t.ota.npi,
    }
    admin = _client(t.admin)
    assert admin.post(f"/staff-admin/{t.ota.pk}/", data).status_code == 302
    admin.post(f"/staff-admin/{t.ota.pk}/", data)
    entries = AuditEvent.objects.filter(detail="staff details changed")
    assert [e.fields for e in entries] == [["credentials", "email"]]
    assert StaffProfile.objects.get(pk=t.ota.pk).user.email == "ota@example.org"
