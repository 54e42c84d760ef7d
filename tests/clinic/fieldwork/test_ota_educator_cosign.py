"""An OTA fieldwork educator co-signs and returns their own OTA students' notes, and nothing else."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from otclinic.clinic.care.models import CosignDecision, NoteStatus, SignatureMeaning
from otclinic.clinic.care.selectors import cosign_queue_for_user
from otclinic.clinic.care.services import notes as note_svc
from otclinic.clinic.common.errors import NotPermitted
from otclinic.clinic.fieldwork import services
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import DAY, Practice, practice, signed
from tests.clinic.fieldwork.helpers import END, EXPERIENCED, START

pytestmark = pytest.mark.django_db


@dataclass
class Placed:
    p: Practice
    educator: Any  # StaffProfile, OTA
    student: Any  # StaffProfile, the educator's OTA student


def _student(p: Practice) -> Any:
    return f.StaffProfileFactory(user__organization=p.org, user__role="student", npi="")


def _educator(p: Practice) -> Any:
    return f.StaffProfileFactory(
        user__organization=p.org,
        user__role="OTA",
        practice_started_on=EXPERIENCED,
        supervising_ot=p.ot.staff_profile,
    )


def _place(p: Practice, student: Any, educator: Any, **dates: dt.date) -> Any:
    admin = f.staff_user(organization=p.org, role="clinic_admin")
    program = "OTA" if educator.user.role == "OTA" else "OT"
    return services.placement_create(
        user=admin,
        student=student,
        educator=educator,
        program=program,
        level="II",
        school="State University",
        starts_on=dates.get("starts_on", START),
        ends_on=dates.get("ends_on", END),
    )


def _placed() -> Placed:
    p = practice(payer_plan="commercial")
    educator, student = _educator(p), _student(p)
    _place(p, student, educator)
    return Placed(p, educator, student)


def test_an_ota_educator_co_signs_their_own_students_note() -> None:
    w = _placed()
    note = signed(w.p, user=w.student.user)
    assert note.status == NoteStatus.COSIGN_PENDING
    review = note_svc.note_cosign(user=w.educator.user, note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED
    assert review.reviewer == w.educator and review.decision == CosignDecision.COSIGNED
    assert note.signatures.filter(
        signer=w.educator.user, meaning=SignatureMeaning.COSIGNER
    ).exists()


def test_an_ota_educator_returns_their_own_students_note_with_comments() -> None:
    w = _placed()
    note = signed(w.p, user=w.student.user)
    note_svc.note_return(user=w.educator.user, note=note, comment="Add the transfer measure.")
    note.refresh_from_db()
    assert note.status == NoteStatus.RETURNED


def test_an_ota_educator_may_not_co_sign_or_return_another_students_note() -> None:
    w = _placed()
    other = _student(w.p)
    _place(w.p, other, _educator(w.p))  # another OTA educates them
    note = signed(w.p, user=other.user)
    for act in (note_svc.note_cosign, note_svc.note_return):
        with pytest.raises(NotPermitted, match="not this student's fieldwork educator"):
            act(user=w.educator.user, note=note, comment="Looks fine.")
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING and not note.cosign_reviews.exists()


def test_an_ota_educator_may_not_co_sign_an_otas_note() -> None:
    w = _placed()
    w.p.clinic.cosign_every_note = True  # the clinic's rule: every assistant note is co-signed
    w.p.clinic.save()
    ota = w.p.ota.staff_profile
    ota.supervising_ot = w.educator  # even if an OTA were filed under the OTA educator
    ota.save()
    note = signed(w.p)
    assert note.status == NoteStatus.COSIGN_PENDING
    with pytest.raises(NotPermitted, match="not a student"):
        note_svc.note_cosign(user=w.educator.user, note=note)
    assert not note_svc.may_cosign(user=w.educator.user, note=note)


def test_an_ota_educator_may_not_co_sign_a_note_written_outside_the_placement() -> None:
    p = practice(payer_plan="commercial")
    educator, student = _educator(p), _student(p)
    _place(p, student, educator, starts_on=START, ends_on=DAY - dt.timedelta(days=1))
    note = signed(p, user=student.user)  # the day after the placement ended
    with pytest.raises(NotPermitted, match=f"in a placement on {DAY}"):
        note_svc.note_cosign(user=educator.user, note=note)


def test_an_ota_who_educates_no_one_may_not_co_sign_at_all() -> None:
    w = _placed()
    note = signed(w.p, user=w.student.user)
    with pytest.raises(PermissionDenied):
        note_svc.note_cosign(user=w.p.ota, note=note)
    with pytest.raises(PermissionDenied):
        cosign_queue_for_user(user=w.p.ota)


def test_the_queue_shows_an_ota_educator_their_own_students_notes_only() -> None:
    w = _placed()
    mine = signed(w.p, user=w.student.user)
    other = _student(w.p)
    _place(w.p, other, _educator(w.p))
    signed(w.p, user=other.user)
    w.p.clinic.cosign_every_note = True
    w.p.clinic.save()
    ota_note = signed(w.p, day=DAY - dt.timedelta(days=1))  # pending for the OTA's OT
    assert list(cosign_queue_for_user(user=w.educator.user)) == [mine]
    # The OT still sees their OTA's note, and not the OTA educator's student's.
    assert list(cosign_queue_for_user(user=w.p.ot)) == [ota_note]


def test_an_ota_educator_reaches_the_queue_and_co_signs_on_the_page(client: Client) -> None:
    w = _placed()
    note = signed(w.p, user=w.student.user)
    client.force_login(w.educator.user)
    home = client.get("/").content.decode()
    assert 'href="/care/cosign/"' in home
    queue = client.get("/care/cosign/")
    assert queue.status_code == 200
    assert f"/care/notes/{note.pk}/" in queue.content.decode()
    assert "Sampled review" not in queue.content.decode()
    page = client.get(f"/care/notes/{note.pk}/").content.decode()
    assert f"/care/notes/{note.pk}/cosign/" in page
    response = client.post(f"/care/notes/{note.pk}/cosign/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED


def test_other_otas_get_no_queue_and_are_refused_with_the_reason(client: Client) -> None:
    w = _placed()
    note = signed(w.p, user=w.student.user)
    client.force_login(w.p.ota)
    assert 'href="/care/cosign/"' not in client.get("/").content.decode()
    assert client.get("/care/cosign/").status_code == 403
    other_educator = _educator(w.p)
    _place(w.p, _student(w.p), other_educator)
    client.force_login(other_educator.user)
    assert (
        f"/care/notes/{note.pk}/cosign/"
        not in client.get(f"/care/notes/{note.pk}/").content.decode()
    )
    refused = client.post(f"/care/notes/{note.pk}/cosign/")
    assert refused.status_code == 403
    assert "fieldwork educator" in refused.content.decode()
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING


def test_the_billing_preview_of_an_ota_educators_student_shows_co_like_the_claim() -> None:
    from tests.clinic.care.notes.builders import content, drafted

    p = practice(payer_plan="medicare_part_b")
    ota_student, ot_student = _student(p), _student(p)
    _place(p, ota_student, _educator(p))
    ot = p.ot.staff_profile
    ot.practice_started_on = EXPERIENCED
    ot.save()
    _place(p, ot_student, ot)
    lines = (note_svc.LineInput("97530", "therapeutic_activity", therapist_minutes=38),)
    modifiers = {}
    for name, student in (("OTA educator", ota_student), ("OT educator", ot_student)):
        note = drafted(p, user=student.user, lines=lines)
        decision = note_svc.preview_decision(note=note, content=content(p, lines=lines))
        modifiers[name] = {m for line in decision.lines for m in line.modifiers}
    assert "CO" in modifiers["OTA educator"]
    assert "CO" not in modifiers["OT educator"]
