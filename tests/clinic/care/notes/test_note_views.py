"""The note pages: the form round trip, 422 naming fields, 409 on a stale revision, roles,
co-signature, and another organization's note answering 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from otclinic.clinic.care.models import NoteStatus, TreatmentNote
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


def test_the_ota_opens_edits_and_saves_a_draft() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(p.ota)
    page = client.get(reverse("note-detail", args=[note.pk]))
    assert page.status_code == 200
    assert b"Billing preview" in page.content
    data = form_data(note, **{"lines-0-assistant_minutes": "30", "goals-0-value": "23"})
    response = client.post(reverse("note-detail", args=[note.pk]), data)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.total_timed_minutes == 55
    assert note.goal_progress.get().value == Decimal("23")


def test_invalid_input_answers_422_naming_the_fields() -> None:
    p = practice()
    note = drafted(p)
    data = form_data(note, **{"lines-0-code": "XXXXX", "lines-1-assistant_minutes": "999"})
    response = client_for(p.ota).post(reverse("note-detail", args=[note.pk]), data)
    assert response.status_code == 422
    assert b"lines-0-code" in response.content
    assert b"lines-1-assistant_minutes" in response.content


def test_a_stale_revision_answers_409_with_the_message_and_saves_nothing() -> None:
    p = practice()
    note = drafted(p)
    stale = form_data(note, patient_response="second person")
    client = client_for(p.ota)
    client.post(reverse("note-detail", args=[note.pk]), form_data(note))
    response = client.post(reverse("note-detail", args=[note.pk]), stale)
    assert response.status_code == 409
    assert b"saved by someone else" in response.content
    note.refresh_from_db()
    assert note.patient_response == "Tolerated well"


def test_the_live_preview_shows_units_modifiers_and_findings_for_typed_entries() -> None:
    p = practice()
    note = drafted(p)
    data = form_data(note, **{"lines-0-code": "97542", "lines-0-category": "adaptive_equipment"})
    response = client_for(p.ota).post(
        reverse("note-preview", args=[note.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="billing-preview"' in html
    assert "<html" not in html  # the partial only
    assert "97542" in html and "GO CO" in html
    assert "is not among the plan of care&#x27;s interventions" in html
    assert "MCPM" in html  # findings carry their citations
    # This practice has no fee schedule: the preview says so, as the charge run would.
    assert "no 2026 fee for 97110, 97535, 97542" in html
    note.refresh_from_db()
    assert note.lines.first().code == "97530"  # the preview saves nothing


def test_the_narrative_button_drafts_from_the_typed_entries() -> None:
    p = practice()
    note = drafted(p)
    data = form_data(note, **{"goals-0-value": "25"})
    response = client_for(p.ota).post(reverse("note-narrative", args=[note.pk]), data)
    assert response.status_code == 200
    assert "Grip strength measured at 25 kg" in response.content.decode()


def test_signing_with_a_missing_measure_shows_the_blockers_and_does_not_sign() -> None:
    p = practice()
    note = drafted(p)
    data = form_data(note, **{"goals-0-value": ""})
    response = client_for(p.ota).post(reverse("note-sign", args=[note.pk]), data)
    assert response.status_code == 422
    assert b"Not signed" in response.content
    assert b"has no measure" in response.content
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT


def test_signing_from_the_page_saves_and_locks() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(p.ota)
    response = client.post(reverse("note-sign", args=[note.pk]), form_data(note))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    page = client.get(reverse("note-detail", args=[note.pk]))
    assert b"Sign addendum" in page.content
    assert b'id="note-form"' not in page.content
    again = client.post(reverse("note-detail", args=[note.pk]), form_data(note))
    assert again.status_code == 403
    assert b"signed and locked" in again.content


def test_the_supervisor_co_signs_from_the_queue_or_returns_with_comments() -> None:
    p = practice(state="TX", temporary_license=True)
    first = signed(p)
    ot = client_for(p.ot)
    queue = ot.get(reverse("cosign-queue"))
    assert queue.status_code == 200
    assert str(first.pk).encode() in queue.content
    empty = ot.post(reverse("note-return", args=[first.pk]), {"comment": ""})
    assert empty.status_code == 422
    assert (
        ot.post(reverse("note-return", args=[first.pk]), {"comment": "Which hand?"}).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.status == NoteStatus.RETURNED
    ota = client_for(p.ota)
    answer = {"reason": "Answer to review", "text": "Right hand."}
    assert ota.post(reverse("note-addendum", args=[first.pk]), answer).status_code == 302
    assert ot.post(reverse("note-cosign", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.status == NoteStatus.COSIGNED


def test_only_the_author_edits_a_draft_others_read_it() -> None:
    p = practice()
    note = drafted(p)
    other_ota = f.staff_user(organization=p.org, role="OTA")
    client = client_for(other_ota)
    page = client.get(reverse("note-detail", args=[note.pk]))
    assert page.status_code == 200
    assert b'id="note-form"' not in page.content
    assert client.post(reverse("note-detail", args=[note.pk]), form_data(note)).status_code == 403


def test_the_biller_reads_notes_but_cannot_change_them() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(f.staff_user(organization=p.org, role="biller"))
    assert client.get(reverse("note-detail", args=[note.pk])).status_code == 200
    assert client.post(reverse("note-detail", args=[note.pk]), form_data(note)).status_code == 403
    assert client.post(reverse("note-sign", args=[note.pk]), form_data(note)).status_code == 403
    start = client.post(reverse("note-start", args=[p.episode.pk]))
    assert start.status_code == 403


def test_front_desk_cannot_write_notes() -> None:
    p = practice()
    client = client_for(f.staff_user(organization=p.org, role="front_desk"))
    assert client.post(reverse("note-start", args=[p.episode.pk])).status_code == 403
    assert not TreatmentNote.objects.filter(episode=p.episode).exists()


def test_portal_users_never_see_staff_notes() -> None:
    p = practice()
    note = drafted(p)
    access = f.PortalAccessFactory(patient=p.episode.patient)
    client = client_for(access.user)
    assert client.get(reverse("note-detail", args=[note.pk])).status_code == 403
    assert client.get(reverse("cosign-queue")).status_code == 403


def test_another_organizations_note_and_episode_answer_404() -> None:
    p = practice()
    note = drafted(p)
    stranger = practice()
    client = client_for(stranger.ota)
    for name in ["note-detail", "note-preview", "note-sign", "note-cosign", "note-addendum"]:
        method = client.get if name == "note-detail" else client.post
        assert method(reverse(name, args=[note.pk])).status_code == 404, name
    assert client.post(reverse("note-start", args=[p.episode.pk])).status_code == 404


def test_starting_a_note_carries_forward_and_opens_it() -> None:
    p = practice()
    signed(p, day=DAY)
    response = client_for(p.ota).post(reverse("note-start", args=[p.episode.pk]))
    assert response.status_code == 302
    note = TreatmentNote.objects.filter(status=NoteStatus.DRAFT).get()
    assert response.url == reverse("note-detail", args=[note.pk])
    assert note.carried_forward_from is not None
    assert note.lines.count() == 3
