"""Loops 2320 (other subscriber information), 2330A (other subscriber) and 2330B (other payer)."""

from otclinic.domain.claims.x12.p837.claim import OtherPayer
from otclinic.domain.claims.x12.p837.names import organization_nm1, person_nm1
from otclinic.domain.claims.x12.p837.segments import SegmentWriter, amount, d8
from otclinic.domain.claims.x12.p837.service_line import write_cas

PAYER_PAID = "D"  # AMT01: payer paid amount


def write_2320(out: SegmentWriter, *, other: OtherPayer) -> None:
    """SBR, claim-level CAS, AMT*D (what that payer paid), OI, then 2330A and 2330B."""
    out.add(
        "SBR",
        other.responsibility,
        other.relationship,
        other.group_number,
        "",
        "",
        "",
        "",
        "",
        other.filing_indicator,
    )
    write_cas(out, adjustments=other.claim_adjustments)
    out.add("AMT", PAYER_PAID, amount(other.paid_amount))
    # OI03 benefits assigned, OI06 release of information on file.
    out.add("OI", "", "", "Y", "", "", "Y")
    person_nm1(
        out, entity="IL", name=other.subscriber_name, qualifier="MI", identifier=other.member_id
    )
    organization_nm1(
        out, entity="PR", name=other.payer.name, qualifier="PI", identifier=other.payer.payer_id
    )
    if other.adjudication_date is not None:
        out.add("DTP", "573", "D8", d8(other.adjudication_date))
