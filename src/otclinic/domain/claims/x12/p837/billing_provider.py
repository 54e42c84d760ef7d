"""Loop 2000A (billing provider hierarchical level), 2010AA and 2010AB."""

from otclinic.domain.claims.x12.p837.names import address, organization_nm1
from otclinic.domain.claims.x12.p837.parties import BillingProvider
from otclinic.domain.claims.x12.p837.segments import SegmentWriter

BILLING_PROVIDER_LEVEL = "20"


def write_2000a(out: SegmentWriter, *, hl_id: int, provider: BillingProvider) -> None:
    """HL*n**20*1, the optional billing taxonomy (PRV*BI) and loops 2010AA/2010AB."""
    out.add("HL", str(hl_id), "", BILLING_PROVIDER_LEVEL, "1")
    if provider.taxonomy:
        out.add("PRV", "BI", "PXC", provider.taxonomy)
    write_2010aa(out, provider=provider)
    if provider.pay_to_address is not None:
        out.add("NM1", "87", "2")
        address(out, provider.pay_to_address)


def write_2010aa(out: SegmentWriter, *, provider: BillingProvider) -> None:
    """Billing provider name with NPI (XX), street address and tax id (REF*EI)."""
    organization_nm1(
        out, entity="85", name=provider.organization_name, qualifier="XX", identifier=provider.npi
    )
    address(out, provider.address)
    out.add("REF", "EI", provider.ein)
