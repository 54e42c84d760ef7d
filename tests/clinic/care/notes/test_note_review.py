"""The review before signing on stored notes: the clinic's policy, the signing refusal, the page."""

import datetime as dt

import pytest

from otclinic.clinic.care.models import NoteReviewPolicy, NoteStatus
from otclinic.clinic.care.review_adapter import note_review
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.errors import ValidationFailed
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import (
    DAY,
    client_for,
    drafted,
    form_data,
    practice,
    signed,
)

pytestmark = pytest.mark.django_db

WORDS = (
    "Graded standing tolerance at the counter with verbal cues for posture; instructed in "
    "energy conservation for lower body dressing with the sock aid."
)


def test_a_note_copied_from_the_patients_last_one_is_refused_with_the_finding_named() -> None:
    p = practice()
    signed(p, day=DAY - dt.timedelta(days=2), narrative=WORDS)
    admin = f.UserFactory(organization=p.org, role="clinic_admin")
    svc.note_review_policy_set(user=admin, clinic=p.episode.clinic, blocking=["note_review.cloned"])
    copy = drafted(p, narrative=WORDS)
    with pytest.raises(svc.NoteNotSignable) as refused:
        svc.note_sign(user=p.ota, note=copy, revision=copy.revision)
    assert [f.rule_id for f in refused.value.findings] == ["note_review.cloned"]
    assert "this patient's note of 2026-03-10" in str(refused.value)
    copy.refresh_from_db()
    assert copy.status == NoteStatus.DRAFT


def test_the_edited_narrative_signs() -> None:
    p = practice()
    signed(p, day=DAY - dt.timedelta(days=2), narrative=WORDS)
    note = drafted(
        p,
        narrative="Tub transfer with bench practised, tactile cues for hand placement; "
        "caregiver shown the sequence and returned it correctly twice.",
    )
    done = svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert done.status != NoteStatus.DRAFT


def test_by_default_cloning_is_a_warning_and_the_copy_can_be_signed() -> None:
    p = practice()
    signed(p, day=DAY - dt.timedelta(days=2), narrative=WORDS)
    copy = drafted(p, narrative=WORDS)
    severities = {x.rule_id: str(x.severity) for x in note_review(copy)}
    assert severities["note_review.cloned"] == "warning"
    assert "error" not in severities.values()
    assert svc.note_sign(user=p.ota, note=copy, revision=copy.revision).status != "draft"


def test_a_clinic_may_make_a_warning_block() -> None:
    p = practice()
    admin = f.UserFactory(organization=p.org, role="clinic_admin")
    svc.note_review_policy_set(
        user=admin, clinic=p.episode.clinic, blocking=["note_review.skilled_language"]
    )
    note = drafted(p, narrative="Tolerated well.")
    with pytest.raises(svc.NoteNotSignable, match="needed a therapist's skill"):
        svc.note_sign(user=p.ota, note=note, revision=note.revision)


def test_an_unknown_rule_is_refused_and_nothing_saved() -> None:
    p = practice()
    admin = f.UserFactory(organization=p.org, role="clinic_admin")
    with pytest.raises(ValidationFailed):
        svc.note_review_policy_set(user=admin, clinic=p.episode.clinic, blocking=["nope"])
    assert not NoteReviewPolicy.objects.exists()


def test_the_settings_page_saves_the_admins_choice_and_refuses_an_ota() -> None:
    p = practice()
    admin = f.UserFactory(organization=p.org, role="clinic_admin")
    clinic = p.episode.clinic
    team = client_for(admin).get("/staff-admin/")
    assert b'href="/care/notes/review-settings/"' in team.content
    page = client_for(admin).get("/care/notes/review-settings/", {"clinic": clinic.pk})
    assert page.status_code == 200 and b"Findings that block signing" in page.content
    answer = client_for(admin).post(
        "/care/notes/review-settings/",
        {"clinic": clinic.pk, "blocking": ["note_review.minutes_mismatch"]},
    )
    assert answer.status_code == 302
    assert NoteReviewPolicy.objects.get(clinic=clinic).blocking == ["note_review.minutes_mismatch"]
    ota = client_for(p.ota).post("/care/notes/review-settings/", {"clinic": clinic.pk})
    assert ota.status_code == 403


def test_the_note_page_shows_the_review_before_signing() -> None:
    p = practice()
    note = drafted(p, narrative="Tolerated well.")
    page = client_for(p.ota).get(f"/care/notes/{note.pk}/")
    assert b"Review before signing" in page.content
    assert b"needed a therapist&#x27;s skill" in page.content


def test_a_refused_signing_keeps_the_pages_editor_so_its_last_autosave_is_no_conflict() -> None:
    p = practice()
    signed(p, day=DAY - dt.timedelta(days=2), narrative=WORDS)
    admin = f.UserFactory(organization=p.org, role="clinic_admin")
    svc.note_review_policy_set(user=admin, clinic=p.episode.clinic, blocking=["note_review.cloned"])
    note = drafted(p, narrative=WORDS)
    token = "5a0b7c3e-1111-4222-8333-944455556666"
    data = form_data(note, narrative=WORDS, editor=token)
    client = client_for(p.ota)
    refused = client.post(f"/care/notes/{note.pk}/sign/", data)
    assert refused.status_code == 422
    assert f'value="{token}"'.encode() in refused.content
    # The page's autosave, sent as it was left, lands after the refusal: one revision later.
    client.post(f"/care/notes/{note.pk}/autosave/", data | {"revision": note.revision + 1})
    note.refresh_from_db()
    edited = form_data(note, editor=token, narrative="Tub transfer with bench, tactile cues.")
    answer = client.post(f"/care/notes/{note.pk}/sign/", edited | {"revision": note.revision - 1})
    assert answer.status_code == 302
