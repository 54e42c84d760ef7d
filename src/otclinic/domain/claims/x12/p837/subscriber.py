"""Loops 2000B (subscriber level), 2010BA, 2010BB, 2000C (patient level) and 2010CA."""

from otclinic.domain.claims.x12.p837.claim import Claim
from otclinic.domain.claims.x12.p837.codes import Relationship, Sex
from otclinic.domain.claims.x12.p837.names import address, organization_nm1, person_nm1
from otclinic.domain.claims.x12.p837.parties import Patient, Payer, Subscriber
from otclinic.domain.claims.x12.p837.segments import SegmentWriter, d8

SUBSCRIBER_LEVEL = "22"
PATIENT_LEVEL = "23"


def write_2000b(out: SegmentWriter, *, hl_id: int, parent_id: int, claim: Claim) -> None:
    """HL, SBR, and loops 2010BA/2010BB for the subscriber of one claim."""
    subscriber = claim.subscriber
    has_patient = claim.patient is not None
    out.add("HL", str(hl_id), str(parent_id), SUBSCRIBER_LEVEL, "1" if has_patient else "0")
    out.add(
        "SBR",
        subscriber.responsibility,
        "" if has_patient else Relationship.SELF,
        subscriber.group_number,
        "",
        subscriber.insurance_type,
        "",
        "",
        "",
        subscriber.filing_indicator,
    )
    write_2010ba(out, subscriber=subscriber, is_patient=not has_patient)
    write_2010bb(out, payer=claim.payer)


def write_2010ba(out: SegmentWriter, *, subscriber: Subscriber, is_patient: bool) -> None:
    """Subscriber name and member id (MI) and address.

    DMG is sent only when the subscriber is the patient: otherwise the guide says do not send.
    The address is required for a subscriber-patient and may be sent otherwise.
    """
    person_nm1(
        out, entity="IL", name=subscriber.name, qualifier="MI", identifier=subscriber.member_id
    )
    address(out, subscriber.address)
    if is_patient:
        _demographics(out, birth_date_d8=d8(subscriber.birth_date), sex=subscriber.sex)


def write_2010bb(out: SegmentWriter, *, payer: Payer) -> None:
    """Payer name and payer id (PI), with its address when known."""
    organization_nm1(out, entity="PR", name=payer.name, qualifier="PI", identifier=payer.payer_id)
    if payer.address is not None:
        address(out, payer.address)


def write_2000c(out: SegmentWriter, *, hl_id: int, parent_id: int, patient: Patient) -> None:
    """HL, PAT (relationship to the subscriber) and loop 2010CA for a patient who is not the
    subscriber."""
    out.add("HL", str(hl_id), str(parent_id), PATIENT_LEVEL, "0")
    out.add("PAT", patient.relationship)
    person_nm1(out, entity="QC", name=patient.name)
    address(out, patient.address)
    _demographics(out, birth_date_d8=d8(patient.birth_date), sex=patient.sex)


def _demographics(out: SegmentWriter, *, birth_date_d8: str, sex: Sex) -> None:
    out.add("DMG", "D8", birth_date_d8, sex)
