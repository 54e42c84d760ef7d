"""Reading the real-world 835s in tests/data/x12, with figures read off the files by hand."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from otclinic.domain.claims.x12.era import read_era, remittance_as_json
from otclinic.domain.claims.x12.era_model import Adjustment, ProviderAdjustment, Remittance

from .samples import DEMO, LARGE_835, SAMPLE_835S, SAMPLES, sample_text


def _read(name: str) -> Remittance:
    return read_era(sample_text(SAMPLES / "835" / name))


def test_the_samples_are_where_the_tests_look() -> None:
    assert len(SAMPLE_835S) == 5, f"no 835 samples under {SAMPLES}"
    assert LARGE_835.is_file()


@pytest.mark.parametrize("path", [*SAMPLE_835S, LARGE_835], ids=lambda p: Path(p).name)
def test_every_sample_reads_with_one_transaction_and_claims(path: Path) -> None:
    remittance = read_era(sample_text(path))
    document = remittance_as_json(remittance)

    assert len(remittance.transactions) == 1
    claims = remittance.transactions[0].claims
    assert len(claims) == sample_text(path).count("CLP*")
    assert all(claim.patient_control_number for claim in claims)
    assert len(document["transactions"][0]["claims"]) == len(claims)


def test_the_demo_file_reads_as_its_segments_say() -> None:
    (transaction,) = read_era(sample_text(DEMO)).transactions

    assert (transaction.payer.name, transaction.payer.id) == (
        "INSURANCE COMPANY OF TIMBUCKTU",
        "999",
    )
    assert transaction.payee.name == "REGIONAL HOPE HOSPITAL"
    assert (transaction.payee.npi, transaction.payee.tax_id) == ("6543210903", None)
    assert transaction.payment.amount == Decimal("150000.00")
    assert transaction.payment.method == "ACH"
    assert transaction.payment.date == date(2002, 9, 13)
    assert transaction.payment.trace_number == "12345"
    assert [c.patient_control_number for c in transaction.claims] == ["666123", "777777"]
    assert sum(c.charge for c in transaction.claims) == Decimal("226366.97")
    assert sum(c.paid for c in transaction.claims) == Decimal("149998.73")
    assert transaction.provider_adjustments == (ProviderAdjustment("CV", Decimal("-1.27")),)


def test_a_demo_claim_carries_its_adjustment_and_payer_claim_number() -> None:
    claim = read_era(sample_text(DEMO)).transactions[0].claims[1]

    assert claim.status_code == "1"
    assert (claim.charge, claim.paid) == (Decimal("15000.00"), Decimal("11980.33"))
    assert claim.patient_responsibility == Decimal("0.00")
    assert claim.payer_claim_number == "1999999444445"
    assert claim.adjustments == (Adjustment("CO", "45", Decimal("3019.67")),)
    assert claim.services == ()


def test_the_demo_file_balances_so_it_warns_only_about_per_bl() -> None:
    warnings = read_era(sample_text(DEMO)).warnings

    assert len(warnings) == 1
    assert "PER*BL" in warnings[0]


def test_managed_care_services_take_their_adjustments_and_period_start_date() -> None:
    (transaction,) = _read("lfh__managed-care.835").transactions
    first, second = transaction.claims

    assert transaction.payee.tax_id == "777667755"  # REF*TJ
    assert transaction.payee.npi == "5544667733"
    assert first.patient_responsibility == Decimal("300.00")
    assert first.adjustments == (Adjustment("CO", "A2", Decimal("50.00")),)
    (service,) = first.services
    assert (service.procedure, service.modifiers) == ("99211", ())
    assert (service.charge, service.paid, service.units) == (
        Decimal("800.00"),
        Decimal("500.00"),
        Decimal(1),
    )
    assert service.date == date(2002, 3, 1)
    assert service.adjustments == (Adjustment("PR", "1", Decimal("300.00")),)
    assert second.services[0].adjustments == (
        Adjustment("PR", "1", Decimal("600.00")),
        Adjustment("CO", "45", Decimal("50.00")),
    )


def test_a_payment_date_that_is_not_a_date_is_a_warning_and_left_empty() -> None:
    remittance = _read("lfh__managed-care.835")

    assert remittance.transactions[0].payment.date is None
    assert any('BPR16 "20002316" is not a date' in w for w in remittance.warnings)


def test_the_patched_managed_care_file_reads_without_warnings() -> None:
    remittance = _read("lfh__managed-care.patched.835")

    assert remittance.warnings == ()
    assert remittance.transactions[0].payment.date == date(2025, 12, 31)


def test_the_cob_file_reads_a_negative_adjustment_and_warns_about_its_separator() -> None:
    remittance = _read("lfh__cob-contractural-adjustment.835")
    (claim,) = remittance.transactions[0].claims
    (service,) = claim.services

    assert remittance.transactions[0].payee.tax_id == "3UR334563"  # N103 FI
    assert remittance.transactions[0].payment.date is None
    assert claim.status_code == "2"
    assert claim.payer_claim_number == "50650619501"
    assert service.procedure == "55669"
    assert service.date == date(2005, 2, 2)
    assert service.adjustments == (
        Adjustment("OA", "23", Decimal("516.00")),
        Adjustment("OA", "94", Decimal("-9.00")),
    )
    assert any("BPR16 (payment date) is missing" in w for w in remittance.warnings)
    assert any('SVC01 "HC>55669"' in w for w in remittance.warnings)


def test_the_large_file_pays_its_claims_less_its_provider_adjustment() -> None:
    text = sample_text(LARGE_835)
    (transaction,) = read_era(text).transactions
    # Figures counted from the file's own text, independently of the reader.
    paid_by_regex = sum(
        Decimal(m) for m in re.findall(r"~\s*CLP\*[^*]*\*[^*]*\*[^*]*\*([^*]*)", text)
    )

    assert len(transaction.claims) == 1000
    assert transaction.payment.amount == Decimal("1773928.46")
    assert transaction.provider_adjustments == (ProviderAdjustment("WO", Decimal("36202.62")),)
    assert sum(c.paid for c in transaction.claims) == paid_by_regex == Decimal("1810131.08")
    second = transaction.claims[1]
    assert second.patient_control_number == "PCN000002"
    assert [s.procedure for s in second.services] == ["80053", "36415", "99213"]
    assert second.services[0].adjustments == (Adjustment("CO", "29", Decimal("461.94")),)
    assert read_era(text).warnings == ()
