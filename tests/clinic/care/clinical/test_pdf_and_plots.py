"""The generated PDFs open and say what they should; the goal plots are valid, accessible SVG."""

import datetime as dt
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from pypdf import PdfReader

from otclinic.clinic.care.models import EnvironmentalRecommendation, EquipmentTraining
from otclinic.clinic.care.plots import GoalPoint, GoalSeries, goal_plot_svg
from otclinic.clinic.care.services import clinical_reports as reports
from tests.clinic.care.clinical.conftest import DAY1, Practice, signed_notes, signed_plan

SVG = "{http://www.w3.org/2000/svg}"


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_certification_pdf_has_a_cover_sheet_for_the_physician_and_the_plan(
    practice: Practice,
) -> None:
    plan = signed_plan(practice)
    document = reports.plan_send_to_physician(
        user=practice.ot, plan=plan, sent_on=DAY1 + dt.timedelta(days=1)
    )
    content = document.file.read()
    reader = PdfReader(io.BytesIO(content))
    cover, rest = reader.pages[0].extract_text(), pdf_text(content)

    assert f"To: {practice.physician.first_name} {practice.physician.last_name}" in cover
    assert "request for certification" in cover
    assert "I69.351" in rest and "Dresses upper body independently" in rest and "97535" in rest
    assert "Physician/NPP signature" in rest
    assert document.sha256 == __import__("hashlib").sha256(content).hexdigest()


@pytest.mark.django_db
def test_the_home_program_pdf_is_plain_language_from_the_plan_and_last_note(
    practice: Practice,
) -> None:
    signed_plan(practice)
    note = signed_notes(practice, [DAY1 + dt.timedelta(days=2)])[0]
    EquipmentTraining.objects.create(
        organization=note.organization,
        note=note,
        equipment="reacher",
        independence="modified_independent",
    )
    EnvironmentalRecommendation.objects.create(
        organization=note.organization,
        note=note,
        modification="grab_bars",
        room="bathroom",
        rationale="Support stepping out of the tub",
    )
    document = reports.home_program_create(
        user=practice.ota, episode=practice.episode, audience="caregiver", shared_with_portal=True
    )
    text = pdf_text(document.file.read())

    assert document.kind == "caregiver_handout" and document.shared_with_portal
    assert "Caregiver handout" in text
    assert "Putty squeezes, 10 times each hand" in text
    assert "Buttoning practice" in text
    assert "Use the reacher on their own, using the equipment." in text
    assert "Grab bars in the bathroom" in text


def _series(points: int) -> GoalSeries:
    return GoalSeries(
        plot_id="goal-1",
        label="Long-term goal: grip <strong>",
        measure="Grip strength",
        unit="kg",
        baseline=Decimal("12.5"),
        target=Decimal(18),
        start=DAY1,
        target_date=DAY1 + dt.timedelta(days=40),
        points=tuple(
            GoalPoint(DAY1 + dt.timedelta(days=3 * i), Decimal(12 + i), "note")
            for i in range(points)
        ),
    )


@pytest.mark.parametrize("points", [0, 1, 5])
def test_a_goal_plot_is_valid_svg_with_one_circle_per_measurement(points: int) -> None:
    root = ET.fromstring(goal_plot_svg(_series(points)))  # noqa: S314 (our own output)

    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert len(root.findall(f"{SVG}circle")) == points
    assert root.find(f"{SVG}title").text == "Long-term goal: grip <strong>"
    desc = root.find(f"{SVG}desc").text
    assert "baseline 12.5 kg, target 18 kg" in desc
    assert ("No measurements yet." in desc) == (points == 0)
    assert (root.find(f"{SVG}polyline") is not None) == (points > 0)


def test_a_higher_value_is_drawn_higher() -> None:
    root = ET.fromstring(goal_plot_svg(_series(3)))  # noqa: S314 (our own output)
    ys = [float(c.get("cy")) for c in root.findall(f"{SVG}circle")]
    assert ys == sorted(ys, reverse=True) and ys[0] > ys[-1]
