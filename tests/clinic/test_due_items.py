"""The home page's "what is due" comes from the episode check run on stored episodes."""

import datetime as dt

import pytest

from otclinic.clinic.care.adapters import episode_facts
from otclinic.clinic.care.models import Episode, Evaluation, NoteStatus
from otclinic.clinic.care.selectors import due_items_for_user
from otclinic.domain.codes import DocumentType
from tests.clinic.factories import (
    CoverageFactory,
    PlanOfCareFactory,
    StaffProfileFactory,
    TreatmentNoteFactory,
)

pytestmark = pytest.mark.django_db

# The reference's worked example: evaluation on 3/3, then treatment to the 10th day on 3/24.
VISITS = [dt.date(2025, 3, d) for d in (5, 7, 10, 12, 14, 17, 19, 21, 24, 26)]


def _episode_with_visits(visit_days: list[dt.date]) -> tuple[Episode, object]:
    plan = PlanOfCareFactory(
        established_on=dt.date(2025, 3, 3),
        episode__started_on=dt.date(2025, 3, 3),
        certified_on=dt.date(2025, 3, 20),
    )
    episode = plan.episode
    episode.coverage = CoverageFactory(patient=episode.patient, starts_on=dt.date(2025, 1, 1))
    episode.save()
    Evaluation.objects.create(
        organization=episode.organization,
        episode=episode,
        kind="evaluation",
        performed_on=dt.date(2025, 3, 3),
        therapist=episode.therapist,
        complexity="moderate",
        code="97166",
    )
    ota = StaffProfileFactory(user__organization=episode.organization, user__role="OTA")
    for day in visit_days:
        TreatmentNoteFactory(
            episode=episode,
            author=ota,
            date_of_service=day,
            status=NoteStatus.SIGNED,
            signed_at=dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC),
        )
    return episode, ota


def test_the_adapter_counts_the_evaluation_and_signed_notes_as_documents() -> None:
    episode, _ = _episode_with_visits(VISITS[:3])
    TreatmentNoteFactory(episode=episode, date_of_service=dt.date(2025, 3, 11))  # a draft
    facts = episode_facts(episode, as_of=dt.date(2025, 3, 31))
    assert facts is not None
    assert [d.type for d in facts.documents] == [DocumentType.EVALUATION] + [
        DocumentType.TREATMENT
    ] * 3
    assert [d.author_role.value for d in facts.documents] == ["OT", "OTA", "OTA", "OTA"]


def test_an_ota_sees_the_progress_report_due_on_the_tenth_treatment_day() -> None:
    _, ota = _episode_with_visits(VISITS[:9])  # with the evaluation: 10 treatment days
    items = due_items_for_user(user=ota.user, as_of=dt.date(2025, 3, 24))
    assert [(i.label, i.text) for i in items] == [("Due", "OT progress report due by Mar 24")]


def test_treatment_after_the_tenth_day_without_a_report_is_overdue() -> None:
    _, ota = _episode_with_visits(VISITS)
    items = due_items_for_user(user=ota.user, as_of=dt.date(2025, 3, 26))
    assert items
    assert items[0].label == "Overdue"
    assert items[0].css == "err"


def test_another_clinics_user_sees_none_of_it() -> None:
    _episode_with_visits(VISITS)
    stranger = StaffProfileFactory(user__role="OTA")
    assert due_items_for_user(user=stranger.user, as_of=dt.date(2025, 3, 26)) == []
