"""The shorthand box read as it is typed (`live=1`): the rows follow the box. Each reading
first takes back the rows the last one gave (added rows go, carried-forward rows filled in
place are blank again), so a line gives its rows once however often the box is read, and the
box keeps what was typed. "Fill" without `live` still takes the read lines out of the box."""

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from otclinic.clinic.care.services import notes as svc
from tests.clinic.care.notes.builders import DAY, client_for, form_data, practice, signed

pytestmark = pytest.mark.django_db

FOLLOW_UP = "ther act 23 standing tol\nADL 15 LB dressing\nther ex 8 BUE AROM\ngrip 21.5 kg"


class _Posted(HTMLParser):
    """What a browser would post from the rendered rows: inputs, checked boxes, selections."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") != "checkbox" or "checked" in a:
                self.data[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _posted(html: str) -> dict[str, str]:
    parser = _Posted()
    parser.feed(html)
    return parser.data


def _carried_forward(p):  # type: ignore[no-untyped-def]
    signed(p, day=DAY - dt.timedelta(days=2))
    return svc.note_start(user=p.ota, episode=p.episode, date_of_service=DAY)


def _read(client, note, data: dict[str, Any], text: str, *, live: bool = True):  # type: ignore[no-untyped-def]
    data = {**data, "shorthand": text, **({"live": "1"} if live else {})}
    return client.post(reverse("note-shorthand", args=[note.pk]), data, HTTP_HX_REQUEST="true")


def _rows(data: dict[str, str], prefix: str, *names: str) -> list[tuple[str, ...]]:
    count = int(data[f"{prefix}-TOTAL_FORMS"])
    rows = [tuple(data.get(f"{prefix}-{i}-{n}", "") for n in names) for i in range(count)]
    return [r for r in rows if r[0]]  # the blank row to add one is left out


def test_reading_the_box_again_as_it_grows_gives_each_row_once() -> None:
    p = practice()
    note = _carried_forward(p)
    client = client_for(p.ota)
    first = _read(client, note, form_data(note), "ther act 23 standing tol")
    assert first.status_code == 200
    page = _posted(first.content.decode())
    assert _rows(page, "lines", "code", "assistant_minutes") == [
        ("97530", "23"),
        ("97535", "0"),
        ("97110", "0"),
    ]

    again = _posted(_read(client, note, page, FOLLOW_UP).content.decode())

    assert _rows(again, "lines", "code", "assistant_minutes", "from_shorthand") == [
        ("97530", "23", "filled"),
        ("97535", "15", "filled"),
        ("97110", "8", "filled"),
    ]
    assert _rows(again, "goals", "goal", "value") == [(str(p.grip.pk), "21.5")]


def test_a_line_changed_in_the_box_changes_its_row_and_a_line_removed_takes_its_row_back() -> None:
    p = practice()
    note = _carried_forward(p)
    client = client_for(p.ota)
    page = _posted(_read(client, note, form_data(note), FOLLOW_UP + "\nNMR 10").content.decode())
    assert ("97112", "10") in _rows(page, "lines", "code", "assistant_minutes")

    changed = _posted(_read(client, note, page, "ther act 30 standing tol").content.decode())

    assert _rows(changed, "lines", "code", "assistant_minutes") == [
        ("97530", "30"),
        ("97535", "0"),
        ("97110", "0"),
    ]
    assert _rows(changed, "goals", "goal", "value") == [(str(p.grip.pk), "")]


def test_the_live_reading_keeps_the_box_as_typed_and_fill_takes_the_read_lines_out() -> None:
    p = practice()
    note = _carried_forward(p)
    client = client_for(p.ota)
    live = _read(client, note, form_data(note), FOLLOW_UP).content.decode()
    assert "ther act 23 standing tol\nADL 15" in live

    filled = _read(client, note, _posted(live), FOLLOW_UP, live=False).content.decode()

    page = _posted(filled)
    assert _rows(page, "lines", "code", "assistant_minutes", "from_shorthand") == [
        ("97530", "23", ""),
        ("97535", "15", ""),
        ("97110", "8", ""),
    ]
    assert "ther act 23 standing tol\nADL 15" not in filled


def test_fill_without_scripts_answers_the_whole_page() -> None:
    p = practice()
    note = _carried_forward(p)
    data = {**form_data(note), "shorthand": FOLLOW_UP}
    response = client_for(p.ota).post(reverse("note-shorthand", args=[note.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'id="note-form"' in html
    assert _rows(_posted(html), "lines", "code", "assistant_minutes")[0] == ("97530", "23")


def test_an_emptied_box_takes_back_every_row_it_gave() -> None:
    p = practice()
    note = _carried_forward(p)
    client = client_for(p.ota)
    page = _posted(_read(client, note, form_data(note), FOLLOW_UP + "\nNMR 10").content.decode())

    emptied = _posted(_read(client, note, page, "").content.decode())

    assert _rows(emptied, "lines", "code", "assistant_minutes") == [
        ("97530", "0"),
        ("97535", "0"),
        ("97110", "0"),
    ]


def test_rows_the_box_filled_sign_as_the_page_shows_them() -> None:
    p = practice()
    note = _carried_forward(p)
    client = client_for(p.ota)
    page = _posted(_read(client, note, form_data(note), FOLLOW_UP).content.decode())
    page["patient_response"] = "Tolerated standing 3 min before rest"

    response = client.post(reverse("note-sign", args=[note.pk]), page)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(svc_lines(note)) == [("97110", 8), ("97530", 23), ("97535", 15)]


def svc_lines(note: Any) -> list[tuple[str, int]]:
    note.refresh_from_db()
    assert note.status == "signed"
    return list(note.lines.values_list("code", "assistant_minutes"))
