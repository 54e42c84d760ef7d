"""The note page's "Fill" from shorthand: rows added to the form as typed, nothing saved,
unread words highlighted and left in the box."""

import pytest
from django.urls import reverse

from otclinic.clinic.care.models import (
    CATEGORY_CHOICES,
    Equipment,
    Independence,
    Modification,
    Room,
)
from otclinic.domain.care.shorthand import shipped_lexicon
from otclinic.domain.care.shorthand.jsonio import MAX_LINE_LENGTH
from tests.clinic.care.notes.builders import (
    client_for,
    drafted,
    dressing_goal_on_the_fim_scale,
    form_data,
    practice,
    rendered_value,
)

pytestmark = pytest.mark.django_db

FOUR_LINES = "\n".join(
    [
        "ther act 15 standing tol w/ RW CGA 3x2min",
        "ADL LB dressing 10 min min A",
        "cg trng dtr tub transfer w/ bench 12 return demo",
        "97110 ot 8 ota 7 pt c/o dizziness",
    ]
)


def _fill(client, note, text: str, **changes):  # type: ignore[no-untyped-def]
    data = form_data(note, shorthand=text, **changes)
    return client.post(reverse("note-shorthand", args=[note.pk]), data, HTTP_HX_REQUEST="true")


def test_four_lines_fill_interventions_goal_equipment_and_caregiver_rows_and_save_nothing() -> None:
    p = practice()
    dressing = dressing_goal_on_the_fim_scale(p)
    note = drafted(p)
    response = _fill(client_for(p.ota), note, FOUR_LINES, patient_response="Typed, not saved")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith("<form")
    # The three saved lines stay; four intervention rows follow them.
    assert rendered_value(html, "lines-TOTAL_FORMS") == "8"
    # The plan lists 97535, so caregiver training is billed with it (the plan's code first).
    assert [rendered_value(html, f"lines-{i}-code") for i in range(3, 7)] == [
        "97530",
        "97535",
        "97535",
        "97110",
    ]
    assert rendered_value(html, "lines-3-assistant_minutes") == "15"
    assert (
        rendered_value(html, "lines-6-therapist_minutes"),
        rendered_value(html, "lines-6-assistant_minutes"),
    ) == ("8", "7")
    assert rendered_value(html, "lines-5-category") == "caregiver_training"
    # The goal measured on the FIM scale: minimal assistance is level 4.
    assert rendered_value(html, "goals-1-goal") == str(dressing.pk)
    assert rendered_value(html, "goals-1-value") == "4"
    assert rendered_value(html, "equipment-0-equipment") == "walker"
    assert rendered_value(html, "equipment-0-independence") == "contact_guard"
    # The bench is in the caregiver's topic, not a device the patient was trained on.
    assert rendered_value(html, "equipment-TOTAL_FORMS") == "2"  # the walker and the blank row
    assert rendered_value(html, "equipment-1-equipment") == ""
    assert rendered_value(html, "caregiver-0-caregiver_name") == "Daughter"
    assert 'name="caregiver-0-return_demonstration" checked' in html.replace(
        ' id="id_caregiver-0-return_demonstration"', ""
    )
    # What was typed stays, the unread words are marked and left in the box.
    assert "Typed, not saved" in html
    assert "<mark>c/o dizziness</mark>" in html
    assert ">c/o dizziness</textarea>" in html
    note.refresh_from_db()
    assert note.lines.count() == 3
    assert note.patient_response == "Tolerated well"


def test_the_filled_form_saves_as_the_ota_saves_today() -> None:
    p = practice()
    note = drafted(p)
    client = client_for(p.ota)
    html = _fill(client, note, "ther ex 12 BUE AROM mod I").content.decode()
    data = form_data(note)
    data.update(
        {
            "lines-TOTAL_FORMS": "4",
            "lines-3-code": rendered_value(html, "lines-3-code"),
            "lines-3-category": rendered_value(html, "lines-3-category"),
            "lines-3-assistant_minutes": rendered_value(html, "lines-3-assistant_minutes"),
        }
    )

    response = client.post(reverse("note-detail", args=[note.pk]), data)

    assert response.status_code == 302
    note.refresh_from_db()
    assert sorted(note.lines.values_list("code", "assistant_minutes")) == [
        ("97110", 10),
        ("97110", 12),
        ("97530", 23),
        ("97535", 15),
    ]


def test_an_empty_box_answers_422_naming_the_field() -> None:
    p = practice()
    response = _fill(client_for(p.ota), drafted(p), "")

    assert response.status_code == 422
    assert "Type at least one line of shorthand" in response.content.decode()


def test_a_line_over_the_limit_answers_422_naming_the_line() -> None:
    p = practice()
    response = _fill(client_for(p.ota), drafted(p), "ther ex 10\n" + "x" * (MAX_LINE_LENGTH + 1))

    assert response.status_code == 422
    assert f"Line 2 is {MAX_LINE_LENGTH + 1} characters" in response.content.decode()


def test_a_line_that_names_no_intervention_fills_nothing_and_stays_whole() -> None:
    p = practice()
    html = _fill(client_for(p.ota), drafted(p), "pt tearful today").content.decode()

    assert (
        rendered_value(html, "lines-TOTAL_FORMS") == "4"
    )  # the three saved rows and the blank one
    assert ">pt tearful today</textarea>" in html


def test_only_the_author_of_a_draft_may_fill_it() -> None:
    p = practice()
    note = drafted(p)

    response = _fill(client_for(p.ot), note, "ther ex 10")

    assert response.status_code == 403


def test_another_organizations_note_is_not_found() -> None:
    p, other = practice(), practice()

    response = _fill(client_for(other.ota), drafted(p), "ther ex 10")

    assert response.status_code == 404


def test_every_value_in_the_shorthand_table_is_one_of_the_notes_choices() -> None:
    lexicon = shipped_lexicon()
    kinds = {m.kind: set() for m in lexicon.phrases.values()}
    for meaning in lexicon.phrases.values():
        kinds[meaning.kind].add(meaning.value)
        if meaning.intervention is not None:
            kinds.setdefault("category", set()).add(meaning.intervention.category)

    assert kinds["assist"] <= set(Independence.values)
    assert kinds["device"] <= set(Equipment.values)
    assert kinds["modification"] | set(lexicon.device_modifications.values()) <= set(
        Modification.values
    )
    assert kinds["room"] | set(lexicon.modification_rooms.values()) <= set(Room.values)
    assert kinds["category"] | set(lexicon.code_categories.values()) <= {
        c for c, _ in CATEGORY_CHOICES
    }
