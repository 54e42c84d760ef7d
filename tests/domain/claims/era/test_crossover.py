"""Crossover claims in the 835 (005010X221A1 loop 2100): CLP02 19-21 "processed as primary,
secondary or tertiary, forwarded to additional payer(s)", NM1*TT (crossover carrier name:
NM103 the name, NM108 PI or XV, NM109 the id) and MOA remarks MA18 or N89.

The synthetic claims are written from the TR3's element definitions; LinuxForHealth x12's
public Medicare samples (tests/data/x12/README.md) show MOA and NM1*QC on claims that were not
forwarded."""

import pytest

from otclinic.domain.claims.x12.era import read_era
from otclinic.domain.claims.x12.era_model import ClaimPayment

from .samples import SAMPLES, sample_text


def _claim(body: str) -> ClaimPayment:
    segments = [
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *261201*1200*^*00501*000000001*0*T*:",
        "GS*HP*PAYER*CLINIC*20261201*1200*1*X*005010X221A1",
        "ST*835*0001",
        "BPR*I*96.00*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261201",
        "TRN*1*TRACE1*1512345678",
        "N1*PR*MEDICARE PART B",
        "PER*BL*EDI*TE*5555550100",
        "N1*PE*THERAPY CLINIC*XX*1234567893",
        "LX*1",
        *body.split("~"),
    ]
    count = len(segments) - 2 + 1
    text = "~".join([*segments, f"SE*{count}*0001", "GE*1*1", "IEA*1*000000001"]) + "~"
    [transaction] = read_era(text).transactions
    [claim] = transaction.claims
    return claim


PAID = "SVC*HC:97530:GO*150.00*96.00**1~CAS*CO*45*30.00~CAS*PR*2*24.00"


def test_the_crossover_carrier_is_read_from_nm1_tt() -> None:
    claim = _claim(
        "CLP*OT1*19*150.00*96.00*24.00*MB*MCR1~NM1*QC*1*DOE*JANE****MI*1EG4TE5MK73~"
        f"NM1*TT*2*AARP MEDIGAP*****PI*MG00123~MOA***MA18~{PAID}"
    )
    assert (claim.crossover_payer, claim.crossover_payer_id) == ("AARP MEDIGAP", "MG00123")
    assert claim.moa_remarks == ("MA18",)
    assert claim.crossed_over


@pytest.mark.parametrize(
    ("clp02", "extra", "crossed"),
    [
        ("19", "", True),  # forwarded, carrier not named
        ("20", "", True),
        ("21", "", True),
        ("1", "MOA***N89~", True),  # the remark alone says it was forwarded
        ("1", "MOA***MA01*MA18~", True),
        ("1", "MOA***MA02~", False),
        ("1", "NM1*QC*1*DOE*JANE~", False),  # the patient, not a carrier
        ("1", "", False),
        ("2", "", False),
    ],
)
def test_a_claim_is_crossed_over_by_its_status_its_carrier_or_its_remarks(
    clp02: str, extra: str, crossed: bool
) -> None:
    claim = _claim(f"CLP*OT1*{clp02}*150.00*96.00*24.00*MB*MCR1~{extra}{PAID}")
    assert claim.crossed_over is crossed


def test_public_medicare_samples_read_their_moa_and_are_not_crossovers() -> None:
    [transaction] = read_era(sample_text(SAMPLES / "835" / "lfh__demo.835")).transactions
    assert [c.moa_remarks for c in transaction.claims] == [(), ("MA02",)]
    assert not any(c.crossed_over for c in transaction.claims)
