"""Service lines, adjustments, remarks and provider adjustments, on a small hand-written 835."""

from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.era import read_era, remittance_as_json
from otclinic.domain.claims.x12.era_model import Adjustment, ProviderAdjustment

from .samples import DEMO, SAMPLES, sample_text

# A therapy remittance written by hand for these tests: one claim of two OT lines.
# Claim: charge 300.00, paid 210.00, patient owes 20.00.
# Line 1 97530-GO x2: charge 150.00, paid 105.00, CO-45 45.00, remark N362, dated by DTM*472.
# Line 2 97110-GO-KX (no SVC05, so one unit): charge 150.00, paid 105.00, CO-45 25.00 and PR-2
#   20.00 (one CAS segment per group), no DTM*472 so it takes the claim's DTM*232.
# PLB: WO -10.00 and L6 5.00 in one segment: payment = 210.00 - (-10.00 + 5.00) = 215.00.
THERAPY_835 = "\n".join(
    [
        "ISA*00*          *00*          *ZZ*PAYERID        *ZZ*CLINICID       *260320*1200*^*00501*000000042*0*T*:~",
        "GS*HP*PAYERID*CLINICID*20260320*1200*42*X*005010X221A1~",
        "ST*835*0042~",
        "BPR*I*215.00*C*ACH*CCP*01*999999999*DA*123456*1234567890**01*999999999*DA*654321*20260320~",
        "TRN*1*EFT0042*1234567890~",
        "N1*PR*SYNTHETIC MUTUAL*XV*SYN01~",
        "PER*BL*EDI*TE*8005550100~",
        "N1*PE*SYNTHETIC THERAPY*XX*1234567893~",
        "REF*TJ*123456789~",
        "LX*1~",
        "CLP*OTC-2026-0001*1*300.00*210.00*20.00*12*PAYER-77~",
        "DTM*232*20260310~",
        "SVC*HC:97530:GO*150.00*105.00**2~",
        "DTM*472*20260312~",
        "CAS*CO*45*45.00~",
        "LQ*HE*N362~",
        "SVC*HC:97110:GO:KX*150.00*105.00~",
        "CAS*CO*45*25.00~",
        "CAS*PR*2*20.00~",
        "PLB*1234567893*20261231*WO:ABC*-10.00*L6*5.00~",
        "SE*19*0042~",
        "GE*1*42~",
        "IEA*1*000000042~",
    ]
)


def test_a_therapy_remittance_reads_as_written() -> None:
    remittance = read_era(THERAPY_835)
    (transaction,) = remittance.transactions
    (claim,) = transaction.claims
    first, second = claim.services

    assert (transaction.payer.name, transaction.payer.id) == ("SYNTHETIC MUTUAL", "SYN01")
    assert (transaction.payee.npi, transaction.payee.tax_id) == ("1234567893", "123456789")
    assert transaction.payment.trace_number == "EFT0042"
    assert claim.patient_responsibility == Decimal("20.00")
    assert claim.payer_claim_number == "PAYER-77"
    assert (first.procedure, first.modifiers, first.units) == ("97530", ("GO",), Decimal(2))
    assert first.date == date(2026, 3, 12)
    assert first.adjustments == (Adjustment("CO", "45", Decimal("45.00")),)
    assert first.remarks == ("N362",)
    assert (second.procedure, second.modifiers, second.units) == ("97110", ("GO", "KX"), 1)
    assert second.date == date(2026, 3, 10)
    assert second.adjustments == (
        Adjustment("CO", "45", Decimal("25.00")),
        Adjustment("PR", "2", Decimal("20.00")),
    )
    assert remittance.warnings == ()


def test_a_cas_segment_carries_up_to_six_triples() -> None:
    six = "CAS*CO*45*1.00**97*2.00**151*3.00**16*4.00**18*5.00**29*10.00~"
    text = THERAPY_835.replace("CAS*CO*45*45.00~", six)
    first = read_era(text).transactions[0].claims[0].services[0]

    assert [a.reason for a in first.adjustments] == ["45", "97", "151", "16", "18", "29"]
    assert sum(a.amount for a in first.adjustments) == Decimal("25.00")


def test_provider_adjustments_keep_their_reason_and_sign() -> None:
    transaction = read_era(THERAPY_835).transactions[0]

    assert transaction.provider_adjustments == (
        ProviderAdjustment("WO", Decimal("-10.00")),
        ProviderAdjustment("L6", Decimal("5.00")),
    )


def test_the_json_writes_units_as_a_number_and_money_as_strings() -> None:
    service = remittance_as_json(read_era(THERAPY_835))["transactions"][0]["claims"][0]["services"][
        0
    ]

    assert service == {
        "procedure": "97530",
        "modifiers": ["GO"],
        "charge": "150.00",
        "paid": "105.00",
        "units": 2,
        "date": "2026-03-12",
        "adjustments": [{"group": "CO", "reason": "45", "amount": "45.00"}],
        "remarks": ["N362"],
    }


def test_it_reads_every_interchange_of_a_file_in_order() -> None:
    managed_care = sample_text(SAMPLES / "835" / "lfh__managed-care.patched.835")
    text = sample_text(DEMO) + THERAPY_835 + "\n" + managed_care

    transactions = read_era(text).transactions

    assert [t.control_number for t in transactions] == ["1234", "0042", "112233"]
    assert [len(t.claims) for t in transactions] == [2, 1, 2]


def test_a_claim_that_does_not_balance_is_a_warning_with_the_figures() -> None:
    text = THERAPY_835.replace("CAS*CO*45*45.00~", "CAS*CO*45*40.00~")

    warnings = read_era(text).warnings

    assert warnings == (
        "transaction 0042 (segment 3 (ST)): claim OTC-2026-0001 does not balance: charge 300.00"
        " minus paid 210.00 = 90.00, adjustments total 85.00",
    )
