"""Observations of instruments LOINC codes: LOINC first, otclinic's code kept, found by either."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from otclinic.clinic.care.models import AssessmentScore
from otclinic.domain.fhir.terminology import LOCAL_INSTRUMENT, LOINC
from tests.clinic.fhir.records import Record

pytestmark = pytest.mark.django_db


def _score(record: Record, instrument: str, value: str, unit: str, side: str = "") -> Any:
    return AssessmentScore.objects.create(
        organization=record.org,
        evaluation=record.evaluation,
        instrument=instrument,
        value=Decimal(value),
        unit=unit,
        side=side,
        measured_on=record.evaluation.performed_on,
    )


def _search(fhir: Client, record: Record, code: str) -> list[dict[str, Any]]:
    bundle = fhir.get(f"/fhir/R4/Observation?patient={record.patient.pk}&code={code}").json()
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


@pytest.mark.parametrize(
    ("instrument", "side", "unit", "loinc"),
    [
        ("barthel", "", "points", "96761-2"),
        ("grip_kg", "left", "kg", "83173-5"),
        ("grip_kg", "right", "kg", "83174-3"),
    ],
)
def test_a_mapped_instrument_is_coded_in_loinc_first_and_found_by_its_loinc_token(
    fhir: Client, record: Record, instrument: str, side: str, unit: str, loinc: str
) -> None:
    score = _score(record, instrument, "40", unit, side)

    found = {r["id"]: r for r in _search(fhir, record, f"{LOINC}|{loinc}")}

    assert str(score.pk) in found  # with the record's own right-hand grip for 83174-3
    for resource in found.values():
        codings = resource["code"]["coding"]
        assert [(c["system"], c["code"]) for c in codings] == [
            (LOINC, loinc),
            (LOCAL_INSTRUMENT, instrument),
        ]
        get_fhir_model_class("Observation").model_validate(resource)


def test_the_local_token_still_finds_a_score_that_has_a_loinc_code(
    fhir: Client, record: Record
) -> None:
    score = _score(record, "barthel", "85", "points")

    found = _search(fhir, record, f"{LOCAL_INSTRUMENT}|barthel")

    assert [r["id"] for r in found] == [str(score.pk)]


def test_a_loinc_code_of_one_side_does_not_find_the_other_side(
    fhir: Client, record: Record
) -> None:
    left = _score(record, "grip_kg", "20", "kg", "left")

    found = _search(fhir, record, f"{LOINC}|83174-3")

    assert str(left.pk) not in {r["id"] for r in found}
    assert {r["id"] for r in found} == {str(record.score.pk)}  # the record's right-hand grip


@pytest.mark.parametrize(
    ("instrument", "side", "unit"),
    [
        ("copm_performance", "", "score"),
        ("quickdash", "", "points"),
        ("gas", "", "level"),
        ("nine_hole_peg_s", "left", "seconds"),
    ],
)
def test_an_instrument_without_a_loinc_code_keeps_only_its_local_coding(
    fhir: Client, record: Record, instrument: str, side: str, unit: str
) -> None:
    score = _score(record, instrument, "1", unit, side)

    found = _search(fhir, record, f"{LOCAL_INSTRUMENT}|{instrument}")

    assert [r["id"] for r in found] == [str(score.pk)]
    assert found[0]["code"]["coding"] == [
        {"system": LOCAL_INSTRUMENT, "code": instrument, "display": score.label}
    ]
    get_fhir_model_class("Observation").model_validate(found[0])
