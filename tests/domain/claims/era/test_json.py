"""`compact_json` writes exactly the contract's document as compact JSON text."""

import json
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.era import read_era, remittance_as_json
from otclinic.domain.claims.x12.era_json import compact_json
from otclinic.domain.claims.x12.era_model import Remittance

from .samples import LARGE_835, SAMPLE_835S, sample_text
from .test_properties import remittances


def _dumped(remittance: Remittance) -> str:
    return json.dumps(remittance_as_json(remittance), ensure_ascii=False, separators=(",", ":"))


def test_every_sample_is_written_as_json_dumps_writes_its_document() -> None:
    for path in [*SAMPLE_835S, LARGE_835]:
        remittance = read_era(sample_text(path))
        assert compact_json(remittance) == _dumped(remittance), path


@settings(max_examples=80, deadline=None)
@given(remittance=remittances)
def test_a_generated_remittance_is_written_as_json_dumps_writes_it(
    remittance: Remittance,
) -> None:
    assert compact_json(remittance) == _dumped(remittance)


@settings(max_examples=40, deadline=None)
@given(
    remittance=remittances,
    text=st.text(min_size=1, max_size=12),
    units=st.sampled_from([Decimal("1.5"), Decimal("0.25"), Decimal("2")]),
)
def test_quotes_backslashes_control_and_non_ascii_characters_are_escaped_as_json_does(
    remittance: Remittance, text: str, units: Decimal
) -> None:
    first = remittance.transactions[0]
    payer = replace(first.payer, name=text)
    claims = tuple(
        replace(
            claim,
            patient_control_number=text,
            services=tuple(replace(s, procedure=text, units=units) for s in claim.services),
        )
        for claim in first.claims
    )
    changed = replace(remittance, transactions=(replace(first, payer=payer, claims=claims),))
    written = compact_json(changed)
    assert written == _dumped(changed)
    assert json.loads(written) == remittance_as_json(changed)
