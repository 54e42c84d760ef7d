"""The home program built from the exercise library, printed with its pictures.

Large type, one exercise to a block (picture beside the words), numbered steps, then the sets,
repetitions and the therapist's note. A child's program uses the library's child wording.
"""

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from otclinic.clinic.care.models import HomeProgram, HomeProgramItem
from otclinic.clinic.care.pdf import BODY, H1, H2, LARGE, PAGE_WIDTH, paragraph, render
from otclinic.clinic.care.pdf_pictures import exercise_picture
from otclinic.domain.care.exercise_library import AgeGroup, library

_PICTURE = 1.4 * inch
_BLOCK = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.75, "#888888"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
    ]
)


def _amount(item: HomeProgramItem, group: AgeGroup) -> str:
    sets = f"{item.sets} set{'s' if item.sets != 1 else ''}"
    if group is AgeGroup.CHILD:
        return f"Do it {item.reps} times. {sets.capitalize()}."
    return f"{sets} of {item.reps} repetitions"


def _block(number: int, item: HomeProgramItem, group: AgeGroup) -> Flowable:
    exercise = library()[item.exercise]
    words = exercise.words_for(group)
    text: list[Flowable] = [
        paragraph(f"{number}. {words.name}", H2),
        paragraph(words.description, BODY),
        *[paragraph(f"{step_no}. {step}", LARGE) for step_no, step in enumerate(words.steps, 1)],
        paragraph(_amount(item, group), H2),
    ]
    if item.notes:
        text.append(paragraph(f"Note from your therapist: {item.notes}", BODY))
    block = Table(
        [[exercise_picture(exercise.picture, size=_PICTURE), text]],
        colWidths=[_PICTURE + 16, PAGE_WIDTH - _PICTURE - 16],
    )
    block.setStyle(_BLOCK)
    return KeepTogether([block, Spacer(1, 0.15 * inch)])


def exercise_program_pdf(
    program: HomeProgram,
    items: Sequence[HomeProgramItem],
    *,
    written_on: dt.date,
    therapist: str,
) -> bytes:
    """The program's exercises in order, each with its picture, steps and amount."""
    episode = program.episode
    patient = episode.patient
    group = AgeGroup(program.age_group)
    intro = (
        "These are your exercises! Do them with a grown-up. Stop if anything hurts."
        if group is AgeGroup.CHILD
        else "Do these exercises at home as shown. Stop and rest if you feel pain, dizziness or "
        "short of breath, and tell your therapist."
    )
    flowables: list[Flowable] = [
        paragraph(program.title, H1),
        paragraph(
            f"For {patient.first_name} {patient.last_name} · {episode.clinic.name} · "
            f"{written_on:%m/%d/%Y}",
            BODY,
        ),
        paragraph(intro, LARGE),
        Spacer(1, 0.1 * inch),
        *[_block(number, item, group) for number, item in enumerate(items, 1)],
        paragraph(f"Questions? Call the clinic and ask for {therapist}.", LARGE),
    ]
    return render(flowables, title=program.title)
