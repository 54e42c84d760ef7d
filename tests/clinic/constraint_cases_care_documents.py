"""Constraint cases for documents sent to physicians and home exercise programs (collected by
test_constraints.py)."""

from collections.abc import Callable
from typing import Any

from otclinic.clinic.care.models import (
    EpisodeDocument,
    HomeProgram,
    HomeProgramItem,
    PhysicianDelivery,
)
from tests.clinic import factories as f

Case = Callable[[bool], object]


def _document() -> EpisodeDocument:
    episode = f.EpisodeFactory()
    return EpisodeDocument.objects.create(
        organization=episode.organization,
        episode=episode,
        kind="plan_certification",
        title="Plan of care",
        file="episodes/plan.pdf",  # the row alone: no file is written
        sha256="0" * 64,
        created_by=episode.therapist.user,
    )


def delivery_row(**fields: Any) -> PhysicianDelivery:
    document = fields.pop("document", None) or _document()
    values = {
        "organization": document.organization,
        "document": document,
        "physician": f.PhysicianFactory(organization=document.organization),
        "channel": "fax",
        "destination": "555-0100",
        "queued_by": document.created_by,
        **fields,
    }
    return PhysicianDelivery.objects.create(**values)


def delivery_once_per_document_and_physician(bad: bool) -> object:
    first = delivery_row()
    physician = first.physician if bad else f.PhysicianFactory(organization=first.organization)
    return delivery_row(document=first.document, physician=physician)


def delivery_failure_has_reason(bad: bool) -> object:
    return delivery_row(status="failed", reason="" if bad else "Not a fax line")


def delivery_channel_known(bad: bool) -> object:
    return delivery_row(channel="pigeon" if bad else "direct")


def _item(**fields: Any) -> HomeProgramItem:
    episode = f.EpisodeFactory()
    program = HomeProgram.objects.create(
        organization=episode.organization,
        episode=episode,
        age_group="adult",
        created_by=episode.therapist.user,
    )
    return HomeProgramItem.objects.create(
        organization=program.organization,
        program=program,
        exercise="putty_squeeze",
        position=1,
        **fields,
    )


def home_item_sets_1_to_20(bad: bool) -> object:
    return _item(sets=21 if bad else 20)


def home_item_reps_1_to_100(bad: bool) -> object:
    return _item(reps=0 if bad else 1)


CARE_DOCUMENTS_CASES: list[tuple[str, Case]] = [
    ("delivery_once_per_document_and_physician", delivery_once_per_document_and_physician),
    ("delivery_failure_has_reason", delivery_failure_has_reason),
    ("delivery_channel_known", delivery_channel_known),
    ("home_item_sets_1_to_20", home_item_sets_1_to_20),
    ("home_item_reps_1_to_100", home_item_reps_1_to_100),
]
