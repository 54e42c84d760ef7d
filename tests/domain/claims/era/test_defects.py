"""Real payers' defects: element-level ones are read with a warning naming the segment and the
money still reconciles; amounts too large for the ledger are refused naming the element; no
element text whatever gives anything but a reading or an EraError."""

import string
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.era import EraError, read_era, remittance_as_json
from otclinic.domain.claims.x12.era_model import Adjustment
from otclinic.domain.claims.x12.era_values import MAX_AMOUNT

from .samples import DEMO, sample_text
from .test_cli import _run, _write
from .test_services import THERAPY_835

DEMO_TEXT = sample_text(DEMO)


def _edit(old: str, new: str, text: str = DEMO_TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _balance_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "does not balance" in w or "but CLP04 says" in w]


# The shape of LinuxForHealth x12's tertiary-payment sample, written here: SVC01 holds only the
# qualifier, the procedure code 24599 follows after an element separator, so that the charge
# and the payment sit in SVC03 and SVC04. The claim: charged 1766.50, paid 187.50, OA-23 1579.00.
TERTIARY_835 = "\n".join(
    [
        "ISA*03*9876543210*01*9876543210*30*000000005      *30*12345          *131031*1147*^*00501*000000907*1*T*:~",
        "GS*HP*000000005*54321*20131031*1147*1*X*005010X221A1~",
        "ST*835*0001~",
        "BPR*I*187.50*C*CHK***********20050412~",
        "TRN*1*0012524879*1559123456~",
        "DTM*405*20050412~",
        "N1*PR*SYNTHETIC TERTIARY PAYER~",
        "N1*PE*SYNTHETIC MEDICAL CENTER*FI*599944521~",
        "LX*1~",
        "CLP*0001000054*3*1766.50*187.50**12*50580155533~",
        "DTM*232*20050120~",
        "SVC*HC*24599.00*1766.50*187.50**1~",
        "DTM*472*20050120~",
        "CAS*OA*23*1579.00~",
        "AMT*B6*1700.00~",
        "SE*14*0001~",
        "GE*1*1~",
        "IEA*1*000000907~",
    ]
)


def test_a_service_line_whose_procedure_follows_an_element_separator_reads_and_reconciles() -> None:
    remittance = read_era(TERTIARY_835)
    ((claim,),) = [t.claims for t in remittance.transactions]
    (service,) = claim.services

    assert (service.procedure, service.charge, service.paid, service.units) == (
        "",
        Decimal("1766.50"),
        Decimal("187.50"),
        Decimal(1),
    )
    assert service.adjustments == (Adjustment("OA", "23", Decimal("1579.00")),)
    assert any(
        w.startswith('segment 12 (SVC): SVC01 "HC" has no procedure code') and "SVC04" in w
        for w in remittance.warnings
    ), remittance.warnings
    assert _balance_warnings(remittance.warnings) == []


def test_the_tertiary_shape_prints_its_json_and_warns_on_the_command_line(tmp_path: Path) -> None:
    done = _run(_write(tmp_path, TERTIARY_835))

    assert done.returncode == 0, done.stderr
    assert 'WARNING: segment 12 (SVC): SVC01 "HC" has no procedure code' in done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_a_service_line_with_only_a_qualifier_and_its_amounts_in_place_reads_them_in_place() -> (
    None
):
    text = _edit("SVC*HC:97530:GO*150.00*105.00**2~", "SVC*HC*150.00*105.00**2~", THERAPY_835)

    remittance = read_era(text)
    service = remittance.transactions[0].claims[0].services[0]

    assert (service.procedure, service.charge, service.paid, service.units) == (
        "",
        Decimal("150.00"),
        Decimal("105.00"),
        Decimal(2),
    )
    assert 'segment 13 (SVC): SVC01 "HC" has no procedure code; the line is read without one' in (
        remittance.warnings
    )
    assert _balance_warnings(remittance.warnings) == []


# Each edit of the hand-made therapy remittance (segment 13 is its first SVC, 11 its CLP), the
# warning it gives, and the figures that must still read the same.
DEFECTS = [
    (
        "SVC*HC:97530:GO*150.00*105.00**2~",
        "SVC**150.00*105.00**2~",
        "segment 13 (SVC): SVC01 (procedure) is missing; the line is read without one",
    ),
    (
        "DTM*472*20260312~",
        "DTM*472*20261312~",
        'segment 14 (DTM): DTM02 "20261312" is not a date (CCYYMMDD); the date is left empty',
    ),
    (
        "DTM*472*20260312~",
        "DTM*472~",
        "segment 14 (DTM): DTM02 (date) is missing; the date is left empty",
    ),
    (
        "CAS*CO*45*45.00~",
        "CAS*CO**45.00~",
        "segment 15 (CAS): CAS02 (adjustment reason code) is missing; the CO adjustment of 45.00"
        " is read without a reason",
    ),
    (
        "CAS*CO*45*45.00~",
        "CAS*ZZ*45*45.00~",
        'segment 15 (CAS): CAS01 "ZZ" is not a group code (CO, CR, OA, PI or PR); read as written',
    ),
    (
        "CLP*OTC-2026-0001*1*",
        "CLP**1*",
        "segment 11 (CLP): CLP01 (patient control number) is missing",
    ),
    (
        "CLP*OTC-2026-0001*1*",
        "CLP*OTC-2026-0001**",
        "segment 11 (CLP): CLP02 (claim status) is missing",
    ),
    ("LQ*HE*N362~", "LQ*HE~", "segment 16 (LQ): LQ02 (remark code) is missing"),
    (
        "SVC*HC:97530:GO*150.00*105.00**2~",
        "SVC*HC:97530:GO*150.00*105.00**two~",
        'segment 13 (SVC): SVC05 "two" is not a number of units; read as 1',
    ),
    (
        "SVC*HC:97530:GO*150.00*105.00**2~",
        "SVC*HC:97530:GO*150.00*105.00**\u00b2~",
        'segment 13 (SVC): SVC05 "\u00b2" is not a number of units; read as 1',
    ),
    ("*ACH*CCP*", "**CCP*", "segment 4 (BPR): BPR04 (payment method) is missing"),
    ("TRN*1*EFT0042*", "TRN*1**", "segment 5 (TRN): TRN02 (trace number) is missing"),
    ("REF*TJ*123456789~", "REF*TJ~", "segment 9 (REF): REF02 (the TJ identifier) is missing"),
    (
        "PLB*1234567893*20261231*WO:ABC*-10.00*",
        "PLB*1234567893*20261231**-10.00*",
        "segment 20 (PLB): PLB03 (adjustment reason) is missing; the provider adjustment of"
        " -10.00 is read without a reason",
    ),
]


@pytest.mark.parametrize(("old", "new", "warning"), DEFECTS, ids=[w[:28] for _, _, w in DEFECTS])
def test_an_element_level_defect_is_read_with_a_warning_and_the_money_still_reconciles(
    old: str, new: str, warning: str
) -> None:
    remittance = read_era(_edit(old, new, THERAPY_835))
    (transaction,) = remittance.transactions

    assert any(w.startswith(warning) for w in remittance.warnings), remittance.warnings
    assert transaction.payment.amount == Decimal("215.00")
    assert [c.paid for c in transaction.claims] == [Decimal("210.00")]
    assert [s.paid for s in transaction.claims[0].services] == [Decimal("105.00")] * 2
    assert sum(p.amount for p in transaction.provider_adjustments) == Decimal("-5.00")
    assert _balance_warnings(remittance.warnings) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "BPR*I*215.00*",
            "BPR*I*" + "1" * 27 + ".00*",
            "segment 4 (BPR): BPR02: amount 11111111111111111111... (30 characters) is too large"
            " (at most 9999999999.99)",
        ),
        (
            "CLP*OTC-2026-0001*1*300.00*",
            "CLP*OTC-2026-0001*1*12345678901234.00*",
            "segment 11 (CLP): CLP03 (claim OTC-2026-0001): amount 12345678901234.00 is too large"
            " (at most 9999999999.99)",
        ),
        (
            "*210.00*20.00*12*",
            "*210.00*20000000000*12*",
            "segment 11 (CLP): CLP05 (claim OTC-2026-0001): amount 20000000000 is too large",
        ),
        (
            "SVC*HC:97530:GO*150.00*",
            "SVC*HC:97530:GO*" + "9" * 400 + ".00*",
            "segment 13 (SVC): SVC02 (claim OTC-2026-0001): amount 99999999999999999999..."
            " (403 characters) is too large",
        ),
        (
            "CAS*CO*45*45.00~",
            "CAS*CO*45*-10000000000.00~",
            "segment 15 (CAS): CAS03 (claim OTC-2026-0001): amount -10000000000.00 is too large",
        ),
        (
            "*L6*5.00~",
            "*L6*5" + "0" * 30 + "~",
            "segment 20 (PLB): PLB06: amount 50000000000000000000... (31 characters) is too large",
        ),
        (
            "SVC*HC:97530:GO*150.00*105.00**2~",
            "SVC*HC:97530:GO*150.00*105.00**123456~",
            "segment 13 (SVC): SVC05 (claim OTC-2026-0001): quantity 123456 is too large"
            " (at most 9999)",
        ),
    ],
    ids=[
        "bpr02-29-digits",
        "clp03-14-digits",
        "clp05",
        "svc02-400-digits",
        "cas03",
        "plb",
        "units",
    ],
)
def test_an_amount_too_large_for_the_ledger_is_refused_naming_segment_element_and_claim(
    old: str, new: str, message: str
) -> None:
    with pytest.raises(EraError) as caught:
        read_era(_edit(old, new, THERAPY_835))

    assert str(caught.value).startswith(message), str(caught.value)


def test_the_largest_amount_the_ledger_holds_reads_and_one_cent_more_does_not() -> None:
    largest = _edit("BPR*I*215.00*", f"BPR*I*{MAX_AMOUNT}*", THERAPY_835)
    too_large = _edit("BPR*I*215.00*", f"BPR*I*{MAX_AMOUNT + Decimal('0.01')}*", THERAPY_835)

    assert read_era(largest).transactions[0].payment.amount == MAX_AMOUNT
    with pytest.raises(EraError, match=r"BPR02: amount 10000000000.00 is too large"):
        read_era(too_large)


def test_a_too_large_amount_exits_2_with_one_line_and_prints_nothing(tmp_path: Path) -> None:
    text = _edit(
        "CLP*OTC-2026-0001*1*300.00*", "CLP*OTC-2026-0001*1*12345678901234.00*", THERAPY_835
    )

    done = _run(_write(tmp_path, text))

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == (
        "error: segment 11 (CLP): CLP03 (claim OTC-2026-0001): amount 12345678901234.00 is too"
        " large (at most 9999999999.99)\n"
    )


def test_a_nul_character_is_refused_naming_its_segment() -> None:
    text = _edit("N1*PR*SYNTHETIC MUTUAL", "N1*PR*SYNTHETIC\x00MUTUAL", THERAPY_835)

    with pytest.raises(EraError, match=r"^segment 6: holds a NUL character"):
        read_era(text)


def test_a_remittance_without_trn_re_sent_otherwise_delimited_has_the_same_fingerprint() -> None:
    without_trn = _edit("TRN*1*EFT0042*1234567890~\n", "", THERAPY_835).replace("SE*19*", "SE*18*")
    resent = without_trn.replace("\n", "\r\n").replace("000000042", "000000043")
    resent = resent.replace("*", "|")  # another element separator
    other = _edit("CLP*OTC-2026-0001*1*", "CLP*OTC-2026-0002*1*", without_trn)

    (first,) = read_era(without_trn).transactions
    (again,) = read_era(resent).transactions
    (changed,) = read_era(other).transactions

    assert len(first.fingerprint) == 64
    assert first.fingerprint == again.fingerprint
    assert first.fingerprint != changed.fingerprint


def test_a_remittance_with_trn_keeps_its_trace_and_originator_and_needs_no_fingerprint() -> None:
    (transaction,) = read_era(THERAPY_835).transactions

    assert (transaction.payment.trace_number, transaction.payment.originator) == (
        "EFT0042",
        "1234567890",
    )
    assert transaction.fingerprint == ""


SEGMENT_LINES = THERAPY_835.split("\n")
# Anything an element could hold except the separators themselves: X12 data never holds them.
ELEMENT_TEXT = (
    st.text(
        alphabet=st.characters(blacklist_characters="*:^~\r\n\x00", blacklist_categories=("Cs",)),
        max_size=30,
    )
    | st.text(alphabet=string.digits + ".-", max_size=40)
    # Numbers of every length: amounts, units and dates are where the arithmetic is.
    | st.builds(
        "{}{}{}".format,
        st.sampled_from(["", "-"]),
        st.integers(min_value=1, max_value=45).flatmap(
            lambda n: st.text(string.digits, min_size=n, max_size=n)
        ),
        st.sampled_from(["", ".", ".5", ".50", ".505"]),
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_element_text_gives_anything_but_a_reading_or_a_refusal(data: st.DataObject) -> None:
    # Segments 3..20 (ST's neighbours to PLB): the envelopes' own counts are not the point here.
    line = data.draw(st.integers(min_value=3, max_value=19))
    elements = SEGMENT_LINES[line].rstrip("~").split("*")
    index = data.draw(st.integers(min_value=1, max_value=max(1, len(elements) - 1)))
    elements[index : index + 1] = [data.draw(ELEMENT_TEXT)]
    lines = [*SEGMENT_LINES]
    lines[line] = "*".join(elements) + "~"

    text = "\n".join(lines)
    try:
        remittance = read_era(text)
    except EraError:
        with pytest.raises(EraError, match=r"^segment \d+"):
            read_era(text)
    else:
        remittance_as_json(remittance)
