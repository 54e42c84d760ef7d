"""Bad input: every refusal names the segment and its position, and no file gives a traceback."""

import re
from pathlib import Path

import pytest

from otclinic.domain.claims.x12.era import EraError, read_era

from .samples import DEMO, LARGE_835, NEGATIVE_837S, sample_text

# The demo file has one segment per line, so a segment's position is its line number: ISA=1, GS=2,
# ST=3, BPR=4, the first CLP=15, the second CLP=24, its CAS=25, MOA=27, DTM=28, PLB=29, SE=30,
# GE=31, IEA=32.
DEMO_TEXT = sample_text(DEMO)


def _refusal(text: str) -> str:
    with pytest.raises(EraError) as caught:
        read_era(text)
    return str(caught.value)


def _edit(old: str, new: str, text: str = DEMO_TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "segment 1: not an X12 interchange"),
        (
            '{"transactions": []}',
            "segment 1: not an X12 interchange (it must start with ISA, found '{\"t')",
        ),
        ("ISA*00*          *00*", "segment 1 (ISA): ISA is truncated after ISA03"),
        (DEMO_TEXT[:104], "segment 1 (ISA): ISA is truncated (no ISA16"),
        (
            DEMO_TEXT.replace("*T*:~", "*T*\n~", 1),
            "segment 1 (ISA): ISA16 (component separator) is a line break",
        ),
        (
            DEMO_TEXT[:500],
            "the file ends before SE closes transaction set 1234 opened at segment 3 (ST)",
        ),
        (
            DEMO_TEXT.replace("IEA*1*000000907~", ""),
            "segment 32: the file ends before IEA closes interchange 000000907 opened at"
            " segment 1 (ISA)",
        ),
        (
            _edit("SE*28*1234", "SE*27*1234"),
            'segment 30 (SE): SE01 says "27" segments, the file has 28',
        ),
        (
            _edit("SE*28*1234", "SE*28*1235"),
            'segment 30 (SE): SE02 "1235" does not match ST02 "1234"',
        ),
        (
            _edit("GE*1*1~", "GE*2*1~"),
            'segment 31 (GE): GE01 says "2" transaction sets, the file has 1',
        ),
        (
            _edit("IEA*1*", "IEA*3*"),
            'segment 32 (IEA): IEA01 says "3" functional groups, the file has 1',
        ),
        (
            _edit("*138018.40**MA*", "*12x.00**MA*"),
            'segment 15 (CLP): CLP04 "12x.00" is not an amount',
        ),
        (
            _edit("CAS*CO*45*3019.67", "CAS*CO*45*30,19"),
            'segment 25 (CAS): CAS03 "30,19" is not an amount',
        ),
        (_edit("ST*835*1234", "ST*837*1234"), 'segment 3 (ST): ST01 is "837", not 835'),
        (_edit("GS*HP*", "GS*HC*"), 'segment 2 (GS): GS01 is "HC", not HP'),
        (
            _edit("MOA***MA02~", "*IC*MA02~"),
            "segment 27 (?): missing or invalid segment identifier ''",
        ),
        (
            _edit("BPR*C*150000.00", "BPR*C*150,000.00"),
            'segment 4 (BPR): BPR02 "150,000.00" is not an amount',
        ),
        (
            _edit("PLB*6543210903*20021231*CV:CP*-1.27", "PLB*6543210903*20021231*CV:CP*"),
            "segment 29 (PLB): PLB04 is missing",
        ),
        (
            _edit("IEA*1*000000907~", "IEA*1*000000907~GS*HP~"),
            "segment 33 (GS): expected ISA to start an interchange",
        ),
    ],
    ids=[
        "empty",
        "json",
        "isa-cut",
        "isa-no-terminator",
        "isa16-line-break",
        "truncated",
        "no-iea",
        "se01",
        "se02",
        "ge01",
        "iea01",
        "clp04",
        "cas03",
        "st01",
        "gs01",
        "bad-tag",
        "bpr02",
        "plb-amount",
        "trailing-junk",
    ],
)
def test_a_damaged_demo_file_is_refused_naming_the_segment(text: str, message: str) -> None:
    assert message in _refusal(text)


def test_the_contract_example_message_comes_out_for_a_bad_amount_deep_in_a_large_file() -> None:
    text = sample_text(LARGE_835)
    target = "CLP*PCN000500*"
    start = text.index(target)
    # The position counted independently: segments before the target, plus one.
    position = text[:start].count("~") + 1
    clp = text[start : text.index("~", start)]
    elements = clp.split("*")
    elements[4] = "12x.00"
    damaged = text.replace(clp, "*".join(elements))

    assert _refusal(damaged) == f'segment {position} (CLP): CLP04 "12x.00" is not an amount'


def test_a_service_before_any_claim_is_refused() -> None:
    text = _edit(
        "CLP*666123*1*211366.97*138018.40**MA*1999999444444*11*1~", "SVC*HC:97530*1.00*1.00~"
    )

    assert "segment 15 (SVC): SVC outside a claim" in _refusal(text)


def test_a_transaction_without_bpr_is_refused() -> None:
    text = _edit("BPR*C*150000.00", "XXX*C*150000.00")

    assert "segment 4 (XXX): expected BPR right after ST at segment 3 (ST)" in _refusal(text)


@pytest.mark.parametrize("path", NEGATIVE_837S, ids=lambda p: Path(p).name)
def test_the_negative_837_samples_are_refused_as_not_835s(path: Path) -> None:
    message = _refusal(sample_text(path))

    assert re.match(r"segment \d+ \((GS|ST)\): ", message), message
    assert "not an 835" in message or "not 835" in message


def test_there_are_negative_samples_to_refuse() -> None:
    assert len(NEGATIVE_837S) >= 5
