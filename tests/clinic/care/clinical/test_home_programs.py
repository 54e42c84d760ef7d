"""A home program built from the exercise library: added, reordered, adjusted, printed with its
pictures, shared in the portal; a child's program reads as a game."""

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from otclinic.clinic.care.models import HomeProgram, HomeProgramItem
from otclinic.clinic.care.pdf_pictures import PICTURES, exercise_picture
from otclinic.clinic.care.services import home_programs as svc
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.care.exercise_library import AgeGroup, age_group_on, exercises_for, library
from tests import clock
from tests.clinic import factories as f
from tests.clinic.care.clinical.conftest import Practice

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _start(practice: Practice) -> HomeProgram:
    response = client_for(practice.ota).post(
        f"/care/episodes/{practice.episode.pk}/home-programs/new/"
    )
    assert response.status_code == 302
    return HomeProgram.objects.get(episode=practice.episode)


def _items(program: HomeProgram) -> list[tuple[str, int, int, str]]:
    return [(i.exercise, i.sets, i.reps, i.notes) for i in program.items.order_by("position")]


def test_the_ota_builds_reorders_adjusts_prints_and_shares_a_program(practice: Practice) -> None:
    program = _start(practice)
    client = client_for(practice.ota)
    base = f"/care/home-programs/{program.pk}"
    for exercise in ("putty_squeeze", "sit_to_stand", "button_practice"):
        assert client.post(f"{base}/exercises/", {"exercise": exercise}).status_code == 302
    items = list(program.items.order_by("position"))

    client.post(f"{base}/exercises/{items[2].pk}/", {"action": "up"})
    client.post(
        f"{base}/exercises/{items[0].pk}/",
        {"action": "save", "sets": "3", "reps": "12", "notes": "Use the red putty."},
    )
    client.post(f"{base}/exercises/{items[1].pk}/", {"action": "remove"})
    assert _items(program) == [
        ("putty_squeeze", 3, 12, "Use the red putty."),
        ("button_practice", 1, 5, ""),
    ]

    assert client.post(f"{base}/print/", {"share": "on"}).status_code == 302
    program.refresh_from_db()
    document = program.printed
    assert document is not None and document.shared_with_portal
    assert document.kind == "home_program"
    text = pdf_text(document.file.read())
    assert "1. Putty squeeze" in text and "2. Button practice" in text
    assert text.index("Putty squeeze") < text.index("Button practice")
    assert "3 sets of 12 repetitions" in text and "Use the red putty." in text
    assert "Sit to stand" not in text
    page = client.get(f"{base}/").content.decode()
    assert "shared in the portal" in page and "care/exercises/putty_squeeze.svg" in page


def test_the_shared_program_is_in_the_patients_portal(practice: Practice) -> None:
    program = _start(practice)
    svc.home_program_add(user=practice.ota, program=program, exercise="putty_squeeze")
    document = svc.home_program_print(user=practice.ota, program=program, share=True)
    portal = f.PortalAccessFactory(patient=practice.patient).user

    page = client_for(portal).get(f"/portal/patients/{practice.patient.pk}/home-program/")

    assert page.status_code == 200
    body = page.content.decode()
    assert f"/home-program/{document.pk}/" in body and "Open home program (PDF)" in body


@pytest.mark.parametrize("picture", sorted(p.name for p in PICTURES.glob("*.svg")))
def test_each_drawing_is_drawn_into_the_pdf_stroke_for_stroke(picture: str) -> None:
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([exercise_picture(picture, size=80)])
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    strokes = re.findall(rb"\sS\n", page.get_contents().get_data())
    root = ET.parse(PICTURES / picture).getroot()  # noqa: S314 - our own file
    shapes = [e for e in root if not e.tag.endswith("title")]

    assert len(strokes) == len(shapes) > 0


def test_a_childs_program_uses_the_childrens_wording_and_exercises(practice: Practice) -> None:
    practice.patient.birth_date = clock.TODAY.replace(year=clock.TODAY.year - 7)
    practice.patient.save()
    program = svc.home_program_start(user=practice.ot, episode=practice.episode, today=clock.TODAY)
    assert program.age_group == "child"
    svc.home_program_add(user=practice.ot, program=program, exercise="putty_squeeze")
    with pytest.raises(ValidationFailed):
        svc.home_program_add(user=practice.ot, program=program, exercise="sit_to_stand")

    text = pdf_text(svc.home_program_print(user=practice.ot, program=program).file.read())
    page = client_for(practice.ot).get(f"/care/home-programs/{program.pk}/").content.decode()

    assert "Squish the dough" in text and "Do it 10 times." in text and "grown-up" in text
    assert "Spider walk" in page and "Sit to stand" not in page


def test_bad_sets_are_refused_on_the_field_and_nothing_changes(practice: Practice) -> None:
    program = _start(practice)
    item = svc.home_program_add(user=practice.ota, program=program, exercise="putty_squeeze")

    response = client_for(practice.ota).post(
        f"/care/home-programs/{program.pk}/exercises/{item.pk}/",
        {"action": "save", "sets": "0", "reps": "abc", "notes": ""},
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert "Sets: between 1 and 20." in body and "Repetitions: between 1 and 100." in body
    item.refresh_from_db()
    assert (item.sets, item.reps) == (2, 10)


def test_printing_an_empty_program_is_refused(practice: Practice) -> None:
    program = _start(practice)
    response = client_for(practice.ota).post(f"/care/home-programs/{program.pk}/print/")
    assert response.status_code == 422
    assert "Add at least one exercise before printing." in response.content.decode()


def test_another_organization_cannot_open_or_change_the_program(practice: Practice) -> None:
    program = _start(practice)
    item = svc.home_program_add(user=practice.ota, program=program, exercise="putty_squeeze")
    stranger = client_for(f.staff_user(organization=f.OrganizationFactory(), role="OT"))

    assert stranger.get(f"/care/home-programs/{program.pk}/").status_code == 404
    assert (
        stranger.post(
            f"/care/home-programs/{program.pk}/exercises/{item.pk}/", {"action": "remove"}
        ).status_code
        == 404
    )
    assert HomeProgramItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    ("born", "group"),
    [
        (dt.date(2013, 12, 3), AgeGroup.TEEN),  # the 13th birthday
        (dt.date(2013, 12, 4), AgeGroup.CHILD),
        (dt.date(2008, 12, 3), AgeGroup.ADULT),
        (dt.date(1961, 12, 4), AgeGroup.ADULT),
        (dt.date(1961, 12, 3), AgeGroup.OLDER_ADULT),
    ],
)
def test_the_age_group_follows_the_birthday(born: dt.date, group: AgeGroup) -> None:
    assert age_group_on(born, clock.TODAY) is group


def test_every_library_exercise_has_its_picture_and_steps() -> None:
    for exercise in library().values():
        assert (PICTURES / exercise.picture).is_file(), exercise.key
        assert exercise.wording.steps and exercise.sets >= 1 and exercise.reps >= 1
    assert {e.key for e in exercises_for(AgeGroup.CHILD)} >= {"finger_walk", "putty_squeeze"}
