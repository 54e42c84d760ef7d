"""How a standardized score names itself (admin lists, logs of the record, anything printing it)."""

from decimal import Decimal

import pytest

from otclinic.clinic.care.models import AssessmentScore


@pytest.mark.parametrize(("value", "written"), [("20.00", "20"), ("12.50", "12.5"), ("100", "100")])
def test_a_score_writes_its_value_as_a_person_does(value: str, written: str) -> None:
    # Decimal("20.00").normalize() prints as "2E+1".
    score = AssessmentScore(instrument="grip_kg", value=Decimal(value), unit="kg")
    assert str(score) == f"{score.instrument_label}: {written} kg"
