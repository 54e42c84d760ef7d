"""Sampled review: every eligible note's draw is logged; picked notes wait in the OT's queue,
marked as a sampled review; a rule that requires co-signature always wins."""

import datetime as dt
import importlib
import random
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from otclinic.clinic.care.models import CosignSampleDraw, NoteStatus, TreatmentNote
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.revenue.charges import BILLABLE_STATUSES
from otclinic.domain.compliance.cosign_sampling import DRAW_RANGE
from tests.clinic.care.notes.builders import DAY, Practice, drafted, practice

pytestmark = pytest.mark.django_db


class FixedDraw(random.Random):
    """A random source whose draw is chosen by the test."""

    def __init__(self, value: int) -> None:
        super().__init__(0)
        self.value = value

    def randrange(self, *args: Any, **kwargs: Any) -> int:  # type: ignore[override]
        return self.value


def sampling_practice(percent: int, **kw: Any) -> Practice:
    p = practice(**kw)
    p.clinic.cosign_sample_percent = percent
    p.clinic.save()
    p.episode.clinic = p.clinic
    p.episode.save()
    return p


def sign(p: Practice, *, rng: random.Random, day: dt.date = DAY, user: Any = None) -> Any:
    note = drafted(p, day=day, user=user)
    return svc.note_sign(user=user or p.ota, note=note, revision=note.revision, rng=rng)


def test_a_draw_below_the_clinics_percentage_sends_the_note_to_the_ot() -> None:
    p = sampling_practice(20)
    note = sign(p, rng=FixedDraw(1999))
    assert note.status == NoteStatus.COSIGN_PENDING
    assert note.cosign_required is False
    assert note.cosign_reason.startswith("Picked at random for the supervising OT's review")
    assert "20% of the notes" in note.cosign_reason and "1999" not in note.cosign_reason
    draw = CosignSampleDraw.objects.get(note=note)
    assert (draw.percent, draw.draw, draw.picked, draw.clinic_id) == (20, 1999, True, p.clinic.pk)


def test_a_draw_at_the_threshold_is_not_picked_but_still_logged() -> None:
    p = sampling_practice(20)
    note = sign(p, rng=FixedDraw(2000))
    assert note.status == NoteStatus.SIGNED
    assert note.status in BILLABLE_STATUSES
    draw = CosignSampleDraw.objects.get(note=note)
    assert (draw.draw, draw.picked) == (2000, False)


def test_at_zero_percent_the_draw_is_recorded_and_nothing_is_picked() -> None:
    p = sampling_practice(0)
    note = sign(p, rng=FixedDraw(0))
    assert note.status == NoteStatus.SIGNED
    assert CosignSampleDraw.objects.get(note=note).picked is False


def test_at_100_percent_every_note_is_picked() -> None:
    p = sampling_practice(100)
    note = sign(p, rng=FixedDraw(DRAW_RANGE - 1))
    assert note.status == NoteStatus.COSIGN_PENDING
    assert CosignSampleDraw.objects.get(note=note).picked is True


def test_a_required_cosignature_wins_and_no_draw_is_made() -> None:
    p = sampling_practice(100, state="TX", temporary_license=True)
    note = sign(p, rng=FixedDraw(0))
    assert note.status == NoteStatus.COSIGN_PENDING
    assert note.cosign_required is True
    assert "Texas" in note.cosign_reason
    assert not CosignSampleDraw.objects.filter(note=note).exists()


def test_the_clinics_every_note_policy_wins_over_sampling() -> None:
    p = sampling_practice(0)
    p.clinic.cosign_every_note = True
    p.clinic.save()
    note = sign(p, rng=FixedDraw(DRAW_RANGE - 1))
    assert (note.status, note.cosign_required) == (NoteStatus.COSIGN_PENDING, True)
    assert not CosignSampleDraw.objects.filter(note=note).exists()


def test_the_ots_own_notes_are_not_sampled() -> None:
    p = sampling_practice(100)
    note = sign(p, rng=FixedDraw(0), user=p.ot)
    assert note.status == NoteStatus.SIGNED
    assert not CosignSampleDraw.objects.filter(note=note).exists()


def test_over_many_notes_with_a_fixed_seed_each_draw_is_logged_and_decides() -> None:
    p = sampling_practice(30)
    notes = [
        sign(p, rng=random.Random(1000 + i), day=DAY - dt.timedelta(days=i)) for i in range(24)
    ]
    draws = {d.note_id: d for d in CosignSampleDraw.objects.filter(note__in=notes)}
    assert len(draws) == len(notes)
    for i, note in enumerate(notes):
        expected = random.Random(1000 + i).randrange(DRAW_RANGE)
        draw = draws[note.pk]
        assert draw.draw == expected
        assert draw.picked is (expected < 3000)
        assert (note.status == NoteStatus.COSIGN_PENDING) is draw.picked
    assert 0 < sum(d.picked for d in draws.values()) < len(notes)  # this seed picks some, not all


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_marks_sampled_notes_and_shows_the_setting() -> None:
    p = sampling_practice(25)
    note = sign(p, rng=FixedDraw(5))
    page = client_for(p.ot).get(reverse("cosign-queue"))
    assert page.status_code == 200
    body = page.content.decode()
    assert str(note.pk) in body
    assert "Sampled review</span>" in body
    assert f"{p.clinic.name}: <strong>25%</strong>" in body


def test_the_ot_co_signs_a_sampled_note_and_the_review_is_marked_sampled() -> None:
    p = sampling_practice(100)
    note = sign(p, rng=FixedDraw(42))
    review = svc.note_cosign(user=p.ot, note=note)
    assert review.sampled is True
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED


def test_the_ot_returns_a_sampled_note_with_comments_and_it_comes_back_after_the_addendum() -> None:
    p = sampling_practice(100)
    note = sign(p, rng=FixedDraw(42))
    ot = client_for(p.ot)
    response = ot.post(reverse("note-return", args=[note.pk]), {"comment": "Which hand?"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.RETURNED
    assert note.cosign_reviews.get().sampled is True
    svc.note_addendum(user=p.ota, note=note, reason="Answer to review", text="Right hand.")
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING


def test_a_required_cosignature_review_is_not_marked_sampled() -> None:
    p = sampling_practice(0, state="TX", temporary_license=True)
    note = sign(p, rng=FixedDraw(0))
    assert svc.note_cosign(user=p.ot, note=note).sampled is False


def test_the_note_page_says_the_note_was_picked_for_sampled_review() -> None:
    p = sampling_practice(50)
    note = sign(p, rng=FixedDraw(10))
    body = client_for(p.ot).get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "Sampled review</span>" in body
    plain, _, why = body.partition('<details class="why"><summary>Why?</summary>')
    assert "Picked at random for the supervising OT&#x27;s review" in plain
    assert "<dt>Draw</dt><dd>10 (a whole number from 0 to 9999)</dd>" in why.split("</details>")[0]


def _clinic_form(clinic: Any, percent: str) -> dict[str, Any]:
    return {
        "name": clinic.name,
        "address": clinic.address,
        "city": clinic.city,
        "state": clinic.state,
        "zip_code": clinic.zip_code or "43215",
        "phone": "",
        "setting": clinic.setting,
        "place_of_service": clinic.place_of_service,
        "npi": "",
        "cosign_sample_percent": percent,
    }


def test_the_clinic_admin_sets_the_percentage_in_the_admin_and_101_is_refused() -> None:
    from tests.clinic import factories as f

    p = sampling_practice(0)
    admin = client_for(f.staff_user(organization=p.org, role="clinic_admin"))
    url = f"/admin/organizations/clinic/{p.clinic.pk}/change/"
    page = admin.get(url)
    assert page.status_code == 200
    assert 'name="cosign_sample_percent"' in page.content.decode()
    refused = admin.post(url, _clinic_form(p.clinic, "101"))
    assert refused.status_code == 200  # the form again, with the error
    p.clinic.refresh_from_db()
    assert p.clinic.cosign_sample_percent == 0
    saved = admin.post(url, _clinic_form(p.clinic, "15"))
    assert saved.status_code == 302, saved.content[:2000]
    p.clinic.refresh_from_db()
    assert p.clinic.cosign_sample_percent == 15


def test_reasons_kept_with_the_draw_are_rewritten_in_plain_words_once() -> None:
    migration = importlib.import_module(
        "otclinic.clinic.care.migrations.0011_sampled_review_reason_in_plain_words"
    )
    p = sampling_practice(10)
    note = sign(p, rng=FixedDraw(109))
    old = "Sampled review: the clinic reviews 10% of notes; draw 109 is below 1000 (of 0-9999)"
    TreatmentNote.objects.filter(pk=note.pk).update(cosign_reason=old)
    for _ in range(2):
        migration.plain_reasons(django_apps, None)
        note.refresh_from_db()
        assert note.cosign_reason == (
            "Picked at random for the supervising OT's review: the clinic reviews 10% of the "
            "notes that need no co-signature."
        )
