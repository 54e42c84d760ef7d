"""The functions the portal pages call: a patient or caregiver writing to the care team."""

import pytest
from django.core.exceptions import PermissionDenied

from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from otclinic.clinic.messaging import portal, selectors, services
from otclinic.clinic.messaging.models import Mention, Notification
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import Team, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def t() -> Team:
    return team()


def test_a_portal_thread_goes_to_the_therapist_and_the_clinicians_who_wrote_notes(
    t: Team,
) -> None:
    f.TreatmentNoteFactory(episode=t.episode, author=t.ota.staff_profile)
    unrelated = f.staff_user(organization=t.org, role="OT")
    thread = portal.portal_thread_start(
        user=t.portal, patient=t.patient, subject="Exercises", body="Is twice a day right?"
    )
    assert thread.patient == t.patient
    assert set(portal.care_team_for(t.patient)) == {t.ot, t.ota}
    for clinician in (t.ot, t.ota):
        assert selectors.unread_count_for(user=clinician) == 1
    assert selectors.unread_count_for(user=unrelated) == 0
    assert selectors.unread_count_for(user=t.portal) == 0


def test_the_care_team_answers_and_the_portal_login_sees_it_unread(t: Team) -> None:
    thread = portal.portal_thread_start(
        user=t.portal, patient=t.patient, subject="Exercises", body="Is twice a day right?"
    )
    services.message_post(user=t.ot, thread=thread, body="Yes, morning and evening.")
    (summary,) = portal.portal_threads_for(user=t.portal, patient=t.patient)
    assert (summary.thread, summary.unread) == (thread, 1)
    opened = portal.portal_thread_get(user=t.portal, patient=t.patient, thread_id=thread.pk)
    bodies = [
        m.body
        for m in portal.portal_thread_messages(user=t.portal, patient=t.patient, thread=opened)
    ]
    assert bodies == ["Is twice a day right?", "Yes, morning and evening."]
    services.thread_mark_read(user=t.portal, thread=opened)
    assert selectors.unread_count_for(user=t.portal) == 0


def test_mentions_in_a_portal_message_are_plain_text(t: Team) -> None:
    thread = portal.portal_thread_start(
        user=t.portal, patient=t.patient, subject="Hello", body=f"Thanks @{t.biller.username}!"
    )
    assert not Mention.objects.filter(thread=thread).exists()


def test_without_any_episode_the_patient_is_told_to_call_the_clinic(t: Team) -> None:
    access = f.PortalAccessFactory(patient=f.PatientFactory(organization=t.org))
    with pytest.raises(ValidationFailed) as refused:
        portal.portal_thread_start(
            user=access.user, patient=access.patient, subject="Hello", body="Anyone?"
        )
    assert "please call the clinic" in refused.value.errors["subject"][0]


def test_another_patients_threads_answer_404(t: Team) -> None:
    thread = portal.portal_thread_start(
        user=t.portal, patient=t.patient, subject="Exercises", body="Question"
    )
    with pytest.raises(NotFoundForUser):
        portal.portal_threads_for(user=t.stranger, patient=t.patient)
    with pytest.raises(NotFoundForUser):
        portal.portal_thread_get(user=t.stranger, patient=t.patient, thread_id=thread.pk)
    with pytest.raises(NotFoundForUser):
        services.message_post(user=t.stranger, thread=thread, body="Let me in")


def test_staff_cannot_use_the_portal_entry_points(t: Team) -> None:
    with pytest.raises(PermissionDenied):
        portal.portal_thread_start(user=t.ot, patient=t.patient, subject="x", body="y")


def test_a_portal_login_added_by_staff_is_pointed_to_the_portal_not_the_staff_page(
    t: Team,
) -> None:
    thread = services.thread_start(
        user=t.ot, patient=t.patient, subject="Your exercises", body="Hello", people=[t.portal]
    )
    notification = Notification.objects.get(recipient=t.portal)
    assert notification.link.startswith("/portal/")
    assert str(thread.pk) not in notification.link or "patients" in notification.link
