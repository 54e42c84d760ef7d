"""Properties: whatever the separators and line breaks, a written remittance reads back equal."""

import string
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.era import EraError, read_era, remittance_as_json
from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Payee,
    Payer,
    Payment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
    Transaction,
)
from otclinic.domain.claims.x12.tokens import Separators

from .samples import SAMPLE_835S, sample_text
from .writer import write_era

# Delimiters must not occur in the data: letters, digits, spaces, "." and "-" here, and the ">"
# that one LinuxForHealth sample writes inside SVC01.
DELIMITERS = "!\"#$%&'()*+,/:;<=?@[\\]^_`{|}~\n"
CODE = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=8)
NAME = st.text(string.ascii_uppercase + " ", min_size=1, max_size=20).filter(str.strip)
MONEY = st.integers(min_value=-9_999_999, max_value=99_999_999).map(
    lambda cents: Decimal(cents).scaleb(-2)
)
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def separators(draw: st.DrawFn) -> Separators:
    # A line break can only be the segment terminator: elsewhere it is layout.
    chosen = draw(st.lists(st.sampled_from(DELIMITERS), min_size=4, max_size=4, unique=True))
    element, component, repetition, segment = sorted(chosen, key=lambda c: c == "\n")
    no_repetition = draw(st.booleans())
    return Separators(element, component, None if no_repetition else repetition, segment)


def adjustments() -> st.SearchStrategy[tuple[Adjustment, ...]]:
    adjustment = st.builds(Adjustment, st.sampled_from(["CO", "PR", "OA", "PI", "CR"]), CODE, MONEY)
    return st.lists(adjustment, max_size=8).map(tuple)


services = st.builds(
    ServicePayment,
    procedure=st.sampled_from(["97530", "97110", "97535", "97165", "G0283"]),
    modifiers=st.lists(st.sampled_from(["GO", "CO", "KX", "59"]), max_size=4).map(tuple),
    charge=MONEY,
    paid=MONEY,
    units=st.integers(min_value=1, max_value=12).map(Decimal),
    date=st.none() | DAY,
    adjustments=adjustments(),
    remarks=st.lists(st.sampled_from(["N362", "M77", "N386", "N115"]), max_size=3).map(tuple),
)
claims = st.builds(
    ClaimPayment,
    patient_control_number=CODE,
    status_code=st.sampled_from(["1", "2", "4", "22"]),
    charge=MONEY,
    paid=MONEY,
    patient_responsibility=MONEY,
    payer_claim_number=st.none() | CODE,
    adjustments=adjustments(),
    services=st.lists(services, max_size=3).map(tuple),
)
transactions = st.builds(
    Transaction,
    control_number=st.integers(min_value=1, max_value=999999999).map("{:04d}".format),
    position=st.just(0),
    payer=st.builds(Payer, NAME, st.none() | CODE),
    payee=st.builds(Payee, NAME, st.none() | st.just("1234567893"), st.none() | CODE),
    payment=st.builds(
        Payment, MONEY, st.sampled_from(["ACH", "CHK", "NON"]), DAY, CODE, st.none() | CODE
    ),
    claims=st.lists(claims, max_size=3).map(tuple),
    provider_adjustments=st.lists(
        st.builds(ProviderAdjustment, st.sampled_from(["WO", "CV", "L6", "FB"]), MONEY), max_size=8
    ).map(tuple),
)
remittances = st.builds(Remittance, st.lists(transactions, min_size=1, max_size=3).map(tuple))


def _facts(remittance: Remittance) -> list[tuple[object, ...]]:
    return [
        (t.payer, t.payee, t.payment, t.claims, t.provider_adjustments)
        for t in remittance.transactions
    ]


@settings(max_examples=80, deadline=None)
@given(
    remittance=remittances,
    seps=separators(),
    line_break=st.sampled_from(["", "\n", "\r\n"]),
    per_group=st.integers(min_value=1, max_value=3),
)
def test_a_written_remittance_reads_back_equal(
    remittance: Remittance, seps: Separators, line_break: str, per_group: int
) -> None:
    text = write_era(remittance, seps, line_break=line_break, transactions_per_group=per_group)

    read = read_era(text)

    assert _facts(read) == _facts(remittance)
    assert [t.control_number for t in read.transactions] == [
        t.control_number for t in remittance.transactions
    ]


@settings(max_examples=60, deadline=None)
@given(
    sample=st.sampled_from(SAMPLE_835S),
    seps=separators(),
    line_break=st.sampled_from(["", "\n", "\r\n"]),
)
def test_a_sample_reads_the_same_whatever_its_delimiters(
    sample: object, seps: Separators, line_break: str
) -> None:
    original = sample_text(sample)  # type: ignore[arg-type]
    table = str.maketrans(
        {
            "*": seps.element,
            ":": seps.component,
            "^": seps.repetition or "U",  # the samples have "^" in ISA11 only
            "~": seps.segment + line_break,
            "\n": "",
        }
    )
    redelimited = original.translate(table)

    assert remittance_as_json(read_era(redelimited)) == remittance_as_json(read_era(original))


@settings(max_examples=30, deadline=None)
@given(remittance=remittances, data=st.data())
def test_a_bad_claim_amount_is_refused_at_its_own_position(
    remittance: Remittance, data: st.DataObject
) -> None:
    text = write_era(remittance, Separators(), line_break="\n")
    lines = text.splitlines()
    clp_lines = [number for number, line in enumerate(lines) if line.startswith("CLP*")]
    if not clp_lines:
        return
    target = data.draw(st.sampled_from(clp_lines))
    elements = lines[target].split("*")
    elements[4] = elements[4] + "x"
    lines[target] = "*".join(elements)

    with pytest.raises(EraError) as caught:
        read_era("\n".join(lines))

    assert str(caught.value) == (
        f'segment {target + 1} (CLP): CLP04 "{elements[4]}" is not an amount'
    )
