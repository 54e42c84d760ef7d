"""A patient or caregiver writes to the care team from the portal and reads the answer."""

import pytest
from django.test import Client

from otclinic.clinic.messaging.models import Thread
from otclinic.clinic.messaging.services import message_post
from otclinic.clinic.portal.services import access_revoke
from tests.clinic import factories as f
from tests.clinic.portal.helpers import Shared

pytestmark = pytest.mark.django_db


def _messages(shared: Shared) -> str:
    return f"/portal/patients/{shared.patient.pk}/messages/"


def test_a_caregiver_starts_a_conversation_and_reads_the_therapists_answer(
    client: Client, shared: Shared
) -> None:
    client.force_login(shared.caregiver_user)
    response = client.post(
        _messages(shared), {"subject": "Shoulder pain", "body": "She has pain after the exercises."}
    )
    assert response.status_code == 302
    thread = Thread.objects.get(patient=shared.patient)
    assert response["Location"] == f"{_messages(shared)}{thread.pk}/"
    therapist = shared.episode.therapist.user
    message_post(user=therapist, thread=thread, body="Skip the overhead reach until Tuesday.")
    overview = client.get(f"/portal/patients/{shared.patient.pk}/").content.decode()
    assert "1 new message" in overview
    page = client.get(response["Location"]).content.decode()
    assert "She has pain after the exercises." in page
    assert "Skip the overhead reach until Tuesday." in page
    assert (
        "1 new message" not in client.get(f"/portal/patients/{shared.patient.pk}/").content.decode()
    )


def test_a_reply_is_posted_once_and_an_empty_one_names_the_field(
    client: Client, shared: Shared
) -> None:
    client.force_login(shared.patient_user)
    client.post(_messages(shared), {"subject": "Question", "body": "When is my next visit?"})
    thread = Thread.objects.get(patient=shared.patient)
    url = f"{_messages(shared)}{thread.pk}/"
    assert client.post(url, {"body": "Thank you"}).status_code == 302
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 422
    assert "Your reply: This field is required." in empty.content.decode()
    assert thread.messages.count() == 2


def test_a_new_conversation_without_a_subject_is_refused_with_the_field_named(
    client: Client, shared: Shared
) -> None:
    client.force_login(shared.patient_user)
    response = client.post(_messages(shared), {"subject": "", "body": "Hello"})
    assert response.status_code == 422
    assert "Subject: This field is required." in response.content.decode()
    assert not Thread.objects.filter(patient=shared.patient).exists()


def test_messages_are_hidden_when_the_consent_does_not_share_them(
    client: Client, shared: Shared
) -> None:
    shared.consent.scopes = ["goals"]
    shared.consent.save()
    client.force_login(shared.caregiver_user)
    assert client.get(_messages(shared)).status_code == 403
    response = client.post(_messages(shared), {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 403
    assert not Thread.objects.filter(patient=shared.patient).exists()
    assert (
        'href="' + _messages(shared) + '"'
        not in client.get(f"/portal/patients/{shared.patient.pk}/").content.decode()
    )


def test_a_revoked_caregiver_cannot_read_the_conversation_they_started(
    client: Client, shared: Shared
) -> None:
    client.force_login(shared.caregiver_user)
    client.post(_messages(shared), {"subject": "Pain", "body": "Private words"})
    thread = Thread.objects.get(patient=shared.patient)
    staff = f.staff_user(organization=shared.patient.organization, role="front_desk")
    access_revoke(user=staff, access=shared.caregiver_access)
    response = client.get(f"{_messages(shared)}{thread.pk}/")
    assert response.status_code == 403
    assert "Private words" not in response.content.decode()


def test_a_double_tapped_new_conversation_is_one_conversation(
    client: Client, shared: Shared
) -> None:
    client.force_login(shared.patient_user)
    data = {"subject": "Splint", "body": "The strap is loose."}
    first = client.post(_messages(shared), data)
    second = client.post(_messages(shared), data)
    assert first["Location"] == second["Location"]
    assert Thread.objects.filter(patient=shared.patient).count() == 1
    client.post(_messages(shared), data | {"body": "And the buckle broke."})
    assert Thread.objects.filter(patient=shared.patient).count() == 2


def test_staff_cannot_add_a_caregiver_whose_consent_does_not_share_messages(
    shared: Shared,
) -> None:
    from otclinic.clinic.common.errors import ValidationFailed
    from otclinic.clinic.messaging.services import thread_start

    therapist = shared.episode.therapist.user
    shared.consent.scopes = ["goals", "home_program"]
    shared.consent.save()
    with pytest.raises(ValidationFailed) as refused:
        thread_start(
            user=therapist,
            patient=shared.patient,
            people=[shared.caregiver_user],
            subject="Home program",
            body="How is it going?",
        )
    (reason,) = refused.value.errors["people"]
    assert "sharing consent does not include messages" in reason
    assert not Thread.objects.filter(patient=shared.patient).exists()

    shared.consent.scopes = ["goals", "messages"]
    shared.consent.save()
    thread = thread_start(
        user=therapist,
        patient=shared.patient,
        people=[shared.caregiver_user],
        subject="Home program",
        body="How is it going?",
    )
    assert thread.patient == shared.patient
