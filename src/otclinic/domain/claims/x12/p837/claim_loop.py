"""Loop 2300 (claim information) and its providers: 2310A referring, 2310B rendering,
2310C service facility. Then the other payers (2320) and the lines (2400) follow."""

from otclinic.domain.claims.x12.p837.claim import Claim
from otclinic.domain.claims.x12.p837.names import address, organization_nm1, person_nm1
from otclinic.domain.claims.x12.p837.other_payer import write_2320
from otclinic.domain.claims.x12.p837.parties import Clinician, ServiceFacility
from otclinic.domain.claims.x12.p837.segments import SegmentWriter, amount, composite, d8
from otclinic.domain.claims.x12.p837.service_line import write_2400

FACILITY_CODE_QUALIFIER = "B"  # CLM05-2: place of service code (CMS POS code set)
PRINCIPAL_DIAGNOSIS = "ABK"  # ICD-10-CM principal diagnosis
OTHER_DIAGNOSIS = "ABF"  # ICD-10-CM diagnosis


def write_2300(out: SegmentWriter, *, claim: Claim) -> None:
    """CLM, dates, references and diagnoses, then 2310A-C, 2320 and every 2400."""
    out.add(
        "CLM",
        claim.patient_control_number,
        amount(claim.total_charge),
        "",
        "",
        composite(claim.place_of_service, FACILITY_CODE_QUALIFIER, claim.frequency),
        "Y",  # CLM06 provider or supplier signature on file
        "A",  # CLM07 assignment accepted
        "Y",  # CLM08 benefits assigned to the provider
        "Y",  # CLM09 release of information on file
    )
    if claim.initial_treatment_date is not None:
        out.add("DTP", "454", "D8", d8(claim.initial_treatment_date))
    if claim.frequency.needs_payer_claim_number:
        out.add("REF", "F8", claim.payer_claim_control_number)
    write_hi(out, diagnoses=claim.diagnoses)
    if claim.referring_provider is not None:
        write_2310a(out, referring=claim.referring_provider)
    write_2310b(out, rendering=claim.rendering_provider)
    if claim.service_facility is not None:
        write_2310c(out, facility=claim.service_facility)
    for other in claim.other_payers:
        write_2320(out, other=other)
    for number, line in enumerate(claim.lines, start=1):
        write_2400(out, number=number, line=line)


def write_hi(out: SegmentWriter, *, diagnoses: tuple[str, ...]) -> None:
    """HI: the principal diagnosis (ABK) then up to 11 others (ABF), codes without the dot."""
    qualifiers = (PRINCIPAL_DIAGNOSIS,) + (OTHER_DIAGNOSIS,) * (len(diagnoses) - 1)
    out.add(
        "HI",
        *(
            composite(qualifier, code.replace(".", ""))
            for qualifier, code in zip(qualifiers, diagnoses, strict=True)
        ),
    )


def write_2310a(out: SegmentWriter, *, referring: Clinician) -> None:
    """The referring (certifying) physician: NM1*DN with NPI."""
    person_nm1(out, entity="DN", name=referring.name, qualifier="XX", identifier=referring.npi)


def write_2310b(out: SegmentWriter, *, rendering: Clinician) -> None:
    """The rendering provider (the supervising OT): NM1*82 with NPI and optional taxonomy."""
    person_nm1(out, entity="82", name=rendering.name, qualifier="XX", identifier=rendering.npi)
    if rendering.taxonomy:
        out.add("PRV", "PE", "PXC", rendering.taxonomy)


def write_2310c(out: SegmentWriter, *, facility: ServiceFacility) -> None:
    """The service facility location: NM1*77, its NPI when it has one, and its address."""
    qualifier, npi = ("XX", facility.npi) if facility.npi else ("", "")
    organization_nm1(out, entity="77", name=facility.name, qualifier=qualifier, identifier=npi)
    address(out, facility.address)
