"""Autosave of a draft note: saved as typed, nothing written when nothing changed, a 409 with
what differs when another page saved first, "keep mine", and a signed note never changed."""

import uuid

import pytest
from django.urls import reverse

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.forms_notes import NoteForms
from tests.clinic.care.notes.builders import client_for, drafted, form_data, practice, signed

pytestmark = pytest.mark.django_db


def _autosave(client, note, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("note-autosave", args=[note.pk]), data, HTTP_HX_REQUEST="true")


def test_an_autosave_stores_the_typed_text_and_answers_the_saved_time() -> None:
    p = practice()
    note = drafted(p)
    page = str(uuid.uuid4())
    response = _autosave(
        client_for(p.ota), note, **form_data(note, subjective="Less pain.", editor=page)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved " in html and 'hx-swap-oob="true"' in html
    note.refresh_from_db()
    assert note.subjective == "Less pain."
    assert note.editor == page
    assert f'value="{note.revision}"' in html  # the page's revision follows the save


def test_an_autosave_of_unchanged_entries_writes_nothing() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(p.ota)
    _autosave(client, note, **form_data(note, assessment="Progressing."))
    note.refresh_from_db()
    events = AuditEvent.objects.count()

    response = _autosave(client, note, **form_data(note, assessment="Progressing."))

    assert response.status_code == 200
    assert AuditEvent.objects.count() == events
    revision = note.revision
    note.refresh_from_db()
    assert note.revision == revision


def test_a_text_only_autosave_leaves_the_interventions_rows_alone() -> None:
    p = practice()
    note = drafted(p)
    lines = list(note.lines.values_list("pk", flat=True))
    _autosave(client_for(p.ota), note, **form_data(note, subjective="Tired today."))
    assert list(note.lines.values_list("pk", flat=True)) == lines


def test_another_page_saved_first_answers_409_naming_what_differs_then_keep_mine() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(p.ota)
    stale = form_data(note, subjective="Mine.", editor="page-a")
    _autosave(client, note, **form_data(note, assessment="Theirs.", editor="page-b"))

    response = _autosave(client, note, **stale)

    assert response.status_code == 409
    html = response.content.decode()
    assert "differs from yours in: Subjective, Assessment" in html
    assert "Keep mine" in html and "Load theirs" in html
    note.refresh_from_db()
    assert (note.subjective, note.assessment) == ("", "Theirs.")

    kept = _autosave(client, note, **stale, overwrite_revision=str(note.revision))
    assert kept.status_code == 200
    note.refresh_from_db()
    assert (note.subjective, note.assessment) == ("Mine.", "")


def test_the_same_page_may_save_over_its_own_autosave_with_an_older_revision() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(p.ota)
    opened = form_data(note, editor="page-a")
    _autosave(client, note, **{**opened, "subjective": "First."})

    response = client.post(
        reverse("note-detail", args=[note.pk]), {**opened, "subjective": "Second."}
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.subjective == "Second."


def test_half_written_entries_are_not_saved_and_the_status_names_them() -> None:
    p = practice()
    note = drafted(p)
    data = form_data(note, **{"lines-0-assistant_minutes": "999", "subjective": "x"})
    response = _autosave(client_for(p.ota), note, **data)
    assert response.status_code == 422
    assert "Not saved yet" in response.content.decode()
    assert "lines-0-assistant_minutes" in response.content.decode()
    note.refresh_from_db()
    assert note.subjective == ""


def test_a_signed_note_is_never_changed_by_an_autosave() -> None:
    p = practice()
    note = signed(p)
    response = _autosave(client_for(p.ota), note, **form_data(note, subjective="Late."))
    assert response.status_code == 409
    assert "signed and is locked" in response.content.decode()
    note.refresh_from_db()
    assert note.subjective == ""


def test_soap_sections_are_saved_shown_and_signed() -> None:
    p = practice()
    note = drafted(p, subjective="Reports less pain.", assessment="Grip improving.")
    page = client_for(p.ota).get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "Reports less pain." in page and "Grip improving." in page
    note = signed(p, subjective="Reports less pain.", assessment="Grip improving.")
    page = client_for(p.ot).get(reverse("note-detail", args=[note.pk])).content.decode()
    for heading in ("Subjective", "Objective", "Assessment", "Plan"):
        assert f"<h2>{heading}</h2>" in page
    assert "Reports less pain." in page and "Grip improving." in page
    assert "Patient response: Tolerated well" not in note.narrative  # said once, in its section


def test_an_otas_code_list_has_no_evaluation_codes_and_the_rest_are_behind_more_codes() -> None:
    p = practice()
    form = NoteForms(drafted(p)).sets["lines"].forms[0]
    main = {c for _, group in form.fields["code"].widget.choices[1:] for c, _ in group}
    more = {c for _, group in form.fields["more_code"].choices[1:] for c, _ in group}
    assert {"97530", "97535", "97110"} <= main
    assert not main & {"97161", "97165", "92521", "92507"}  # PT, OT, SLP evaluation; SLP
    assert {"97161", "97165", "92507"} <= more


def test_a_code_chosen_under_more_codes_is_the_lines_code() -> None:
    p = practice()
    note = drafted(p)
    data = form_data(note, **{"lines-0-more_code": "92507"})
    response = client_for(p.ota).post(reverse("note-detail", args=[note.pk]), data)
    assert response.status_code == 302
    assert note.lines.order_by("position").first().code == "92507"
