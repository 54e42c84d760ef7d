"""Shorthand on a carried-forward note: it fills the rows brought forward from the last note
(an intervention with no minutes yet, a goal with no measure yet) rather than repeating them,
and reads goal measures written with their value."""

import datetime as dt

import pytest
from django.urls import reverse

from otclinic.clinic.care.services import notes as svc
from tests.clinic.care.notes.builders import (
    DAY,
    client_for,
    form_data,
    practice,
    rendered_value,
    signed,
)

pytestmark = pytest.mark.django_db


def _carried_forward(p):  # type: ignore[no-untyped-def]
    """Today's draft, started after a signed note two days ago: three rows, one goal, blank."""
    signed(p, day=DAY - dt.timedelta(days=2))
    return svc.note_start(user=p.ota, episode=p.episode, date_of_service=DAY)


def _fill(client, note, text: str):  # type: ignore[no-untyped-def]
    data = form_data(note, shorthand=text)
    return client.post(reverse("note-shorthand", args=[note.pk]), data, HTTP_HX_REQUEST="true")


FOLLOW_UP = "ther act 23 standing tol\nADL 15 LB dressing\nther ex 8 BUE AROM\ngrip 21.5 kg"


def test_lines_with_carried_forward_codes_fill_those_rows_instead_of_adding_rows() -> None:
    p = practice()
    note = _carried_forward(p)
    assert [line.code for line in note.lines.order_by("position")] == ["97530", "97535", "97110"]

    html = _fill(client_for(p.ota), note, FOLLOW_UP).content.decode()

    assert (
        rendered_value(html, "lines-TOTAL_FORMS") == "4"
    )  # the three carried rows and the blank one
    assert [
        (
            rendered_value(html, f"lines-{i}-code"),
            rendered_value(html, f"lines-{i}-assistant_minutes"),
        )
        for i in range(3)
    ] == [("97530", "23"), ("97535", "15"), ("97110", "8")]
    assert rendered_value(html, "goals-TOTAL_FORMS") == "2"  # the carried goal and the blank one
    assert rendered_value(html, "goals-0-goal") == str(p.grip.pk)
    assert rendered_value(html, "goals-0-value") == "21.5"


def test_the_filled_carried_forward_note_signs_as_posted() -> None:
    p = practice()
    note = _carried_forward(p)
    client = client_for(p.ota)
    html = _fill(client, note, FOLLOW_UP).content.decode()
    data = form_data(note, patient_response="Tolerated standing 3 min before rest")
    for i in range(3):
        name = f"lines-{i}-assistant_minutes"
        data[name] = rendered_value(html, name)
    data["goals-0-value"] = rendered_value(html, "goals-0-value")

    response = client.post(reverse("note-sign", args=[note.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    note.refresh_from_db()
    assert note.status == "signed"
    assert sorted(note.lines.values_list("code", "assistant_minutes")) == [
        ("97110", 8),
        ("97530", 23),
        ("97535", 15),
    ]
    assert str(note.goal_progress.get().value) == "21.50"


def test_a_second_line_of_the_same_code_adds_a_row_and_an_uncarried_code_adds_one() -> None:
    p = practice()
    note = _carried_forward(p)

    html = _fill(client_for(p.ota), note, "ther ex 8\nther ex 5 putty\nnmr 10").content.decode()

    assert rendered_value(html, "lines-TOTAL_FORMS") == "6"
    assert rendered_value(html, "lines-2-assistant_minutes") == "8"  # the carried 97110 row, filled
    assert (
        rendered_value(html, "lines-3-code"),
        rendered_value(html, "lines-3-assistant_minutes"),
    ) == (
        "97110",
        "5",
    )
    assert rendered_value(html, "lines-4-code") == "97112"
    assert rendered_value(html, "lines-0-assistant_minutes") in (
        "",
        "0",
    )  # 97530 not typed: untouched


def test_a_row_with_minutes_already_typed_is_not_overwritten() -> None:
    p = practice()
    note = _carried_forward(p)
    data = form_data(note, shorthand="ther act 10")
    data["lines-0-assistant_minutes"] = "30"

    response = client_for(p.ota).post(
        reverse("note-shorthand", args=[note.pk]), data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()

    assert rendered_value(html, "lines-0-assistant_minutes") == "30"
    assert (
        rendered_value(html, "lines-3-code"),
        rendered_value(html, "lines-3-assistant_minutes"),
    ) == (
        "97530",
        "10",
    )


@pytest.mark.parametrize(
    "text",
    [
        "grip 48 lb",  # grip is recorded in kilograms
        "9HPT 24 s",  # the plan has no peg-test goal
        "grip 250 kg",  # off the dynamometer's scale
    ],
)
def test_a_measure_no_goal_takes_stays_in_the_box_highlighted(text: str) -> None:
    p = practice()
    note = _carried_forward(p)

    html = _fill(client_for(p.ota), note, text).content.decode()

    assert rendered_value(html, "goals-0-value") == ""
    assert f"<mark>{text}</mark>" in html
    assert f">{text}</textarea>" in html


def test_a_score_measure_fills_its_goal_without_a_unit() -> None:
    p = practice()
    note = _carried_forward(p)

    html = _fill(client_for(p.ota), note, "barthel 75").content.decode()

    assert rendered_value(html, "goals-1-goal") == str(p.barthel.pk)
    assert rendered_value(html, "goals-1-value") == "75"
