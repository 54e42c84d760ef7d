"""Constraint cases for the messaging tables (collected by test_constraints.py)."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from otclinic.clinic.messaging.models import Mention, Notification, Participant, ThreadRead
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import message_row, task_row, thread_row

Case = Callable[[bool], object]


def thread_subject_not_blank(bad: bool) -> object:
    return thread_row(subject="" if bad else "Wheelchair order")


def thread_about_a_record_names_its_patient(bad: bool) -> object:
    episode = f.EpisodeFactory()
    user = f.staff_user(organization=episode.organization, role="OT")
    return thread_row(user=user, episode=episode, patient=None if bad else episode.patient)


def thread_about_at_most_one_record(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    user = f.staff_user(organization=note.organization, role="OT")
    episode = note.episode
    return thread_row(
        user=user, patient=episode.patient, note=note, episode=episode if bad else None
    )


def _participant(thread: Any, **fields: Any) -> Participant:
    return Participant.objects.create(
        organization_id=thread.organization_id, thread=thread, added_by=thread.started_by, **fields
    )


def participant_is_a_user_or_a_role(bad: bool) -> object:
    thread = thread_row()
    other = f.staff_user(organization=thread.organization, role="OTA")
    return _participant(thread, user=other, role="biller" if bad else "")


def participant_role_is_a_staff_role(bad: bool) -> object:
    return _participant(thread_row(), role="caregiver" if bad else "biller")


def participant_user_once_per_thread(bad: bool) -> object:
    thread = thread_row()
    other = f.staff_user(organization=thread.organization, role="OTA")
    return _participant(thread, user=thread.started_by if bad else other)


def participant_role_once_per_thread(bad: bool) -> object:
    thread = thread_row()
    _participant(thread, role="biller")
    return _participant(thread, role="biller" if bad else "front_desk")


def message_body_not_blank(bad: bool) -> object:
    return message_row(thread_row(), body="" if bad else "Seen today.")


def mention_once_per_message(bad: bool) -> object:
    thread = thread_row()
    message = message_row(thread)
    other = f.staff_user(organization=thread.organization, role="OTA")
    Mention.objects.create(
        organization_id=thread.organization_id, thread=thread, message=message, user=other
    )
    return Mention.objects.create(
        organization_id=thread.organization_id,
        thread=thread,
        message=message,
        user=other if bad else thread.started_by,
    )


def thread_read_once_per_user(bad: bool) -> object:
    thread = thread_row()
    other = f.staff_user(organization=thread.organization, role="OTA")
    now = timezone.now()
    ThreadRead.objects.create(
        organization_id=thread.organization_id, thread=thread, user=thread.started_by, read_at=now
    )
    return ThreadRead.objects.create(
        organization_id=thread.organization_id,
        thread=thread,
        user=thread.started_by if bad else other,
        read_at=now,
    )


def task_title_not_blank(bad: bool) -> object:
    return task_row(title="" if bad else "Co-sign note")


def task_done_has_who_and_when_status_known(bad: bool) -> object:
    return task_row(status="gone" if bad else "open")


def task_done_has_who_and_when(bad: bool) -> object:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    return task_row(user=user, status="done", done_at=timezone.now(), done_by=None if bad else user)


def task_about_a_note_names_its_patient(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    user = f.staff_user(organization=note.organization, role="OT")
    return task_row(user=user, note=note, patient=None if bad else note.episode.patient)


def _notification(**fields: Any) -> Notification:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    values = {
        "organization_id": user.organization_id,
        "recipient": user,
        "kind": "task",
        "text": "You have a new task",
        "link": "/messages/tasks/",
        **fields,
    }
    return Notification.objects.create(**values)


def notification_kind_known(bad: bool) -> object:
    return _notification(kind="gossip" if bad else "mention")


def notification_link_is_a_local_path(bad: bool) -> object:
    return _notification(link="https://evil.example/" if bad else "/messages/")


MESSAGING_CASES: list[tuple[str, Case]] = [
    ("task_done_has_who_and_when", task_done_has_who_and_when_status_known),
    *(
        (fn.__name__, fn)
        for fn in (
            thread_subject_not_blank,
            thread_about_a_record_names_its_patient,
            thread_about_at_most_one_record,
            participant_is_a_user_or_a_role,
            participant_role_is_a_staff_role,
            participant_user_once_per_thread,
            participant_role_once_per_thread,
            message_body_not_blank,
            mention_once_per_message,
            thread_read_once_per_user,
            task_title_not_blank,
            task_done_has_who_and_when,
            task_about_a_note_names_its_patient,
            notification_kind_known,
            notification_link_is_a_local_path,
        )
    ),
]
