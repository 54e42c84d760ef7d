"""A note's co-signature opens and closes tasks: co-sign for the OT, answer for the OTA."""

import pytest

from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.messaging.models import Notification, Task
from otclinic.clinic.messaging.note_tasks import ANSWER_TITLE, COSIGN_TITLE
from tests.clinic.care.notes.builders import practice, signed

pytestmark = pytest.mark.django_db


def _tasks() -> list[tuple[str, str, str]]:
    return [
        (t.title, t.assignee.username, t.status)
        for t in Task.objects.select_related("assignee").order_by("created_at")
    ]


def test_return_and_addendum_move_the_tasks_between_the_ot_and_the_ota() -> None:
    p = practice(state="TX", temporary_license=True)  # every note of a temporary licensee
    note = signed(p)
    assert _tasks() == [(COSIGN_TITLE, p.ot.username, "open")]
    cosign = Task.objects.get()
    assert (cosign.note, cosign.patient, cosign.due_on) == (note, p.episode.patient, None)
    assert Notification.objects.filter(recipient=p.ot, task=cosign).exists()

    with acting_as(actor_for_user(p.ot)):
        svc.note_return(user=p.ot, note=note, comment="Which hand?")
    assert _tasks() == [
        (COSIGN_TITLE, p.ot.username, "done"),
        (ANSWER_TITLE, p.ota.username, "open"),
    ]
    assert Task.objects.get(title=COSIGN_TITLE).done_by == p.ot

    with acting_as(actor_for_user(p.ota)):
        svc.note_addendum(user=p.ota, note=note, reason="Answer to review", text="Right hand.")
    assert _tasks() == [
        (COSIGN_TITLE, p.ot.username, "done"),
        (ANSWER_TITLE, p.ota.username, "done"),
        (COSIGN_TITLE, p.ot.username, "open"),
    ]

    with acting_as(actor_for_user(p.ot)):
        svc.note_cosign(user=p.ot, note=note)
    assert [status for _, _, status in _tasks()] == ["done", "done", "done"]


def test_a_note_that_needs_no_co_signature_makes_no_task() -> None:
    p = practice()  # Ohio, Medicare: no co-signature required of the OTA
    note = signed(p)
    assert note.status == "signed"
    assert not Task.objects.exists()
