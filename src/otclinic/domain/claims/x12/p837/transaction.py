"""One 837P transaction set: ST, BHT, loops 1000A/1000B, the hierarchy of billing provider
(2000A), subscriber (2000B) and patient (2000C) levels with their claims, and SE."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from otclinic.domain.claims.x12.p837.billing_provider import write_2000a
from otclinic.domain.claims.x12.p837.claim import Claim
from otclinic.domain.claims.x12.p837.claim_loop import write_2300
from otclinic.domain.claims.x12.p837.names import organization_nm1
from otclinic.domain.claims.x12.p837.parties import Receiver, Submitter
from otclinic.domain.claims.x12.p837.segments import SegmentWriter, d8, hhmm
from otclinic.domain.claims.x12.p837.subscriber import write_2000b, write_2000c

IMPLEMENTATION_GUIDE = "005010X222A1"
ORIGINAL_TRANSMISSION = "00"  # BHT02
CHARGEABLE = "CH"  # BHT06: claim (not encounter)


@dataclass(frozen=True, slots=True)
class TransactionHeader:
    """What every transaction set of one file shares: the parties and the creation time."""

    submitter: Submitter
    receiver: Receiver
    created_at: datetime


def write_transaction(
    *,
    header: TransactionHeader,
    control_number: str,
    reference: str,
    claims: Sequence[Claim],
    segment_end: str,
) -> SegmentWriter:
    """ST..SE for `claims`, which are all for one payer; SE01 counts ST through SE.

    `reference` is BHT03, the submitter's own id for this batch of claims.
    """
    out = SegmentWriter(segment_end=segment_end)
    out.add("ST", "837", control_number, IMPLEMENTATION_GUIDE)
    out.add(
        "BHT",
        "0019",  # information source, subscriber, dependent
        ORIGINAL_TRANSMISSION,
        reference,
        d8(header.created_at),
        hhmm(header.created_at),
        CHARGEABLE,
    )
    _write_1000a(out, submitter=header.submitter)
    organization_nm1(
        out,
        entity="40",
        name=header.receiver.name,
        qualifier="46",
        identifier=header.receiver.identifier,
    )
    _write_hierarchy(out, claims=claims)
    out.add("SE", str(out.count + 1), control_number)
    return out


def _write_1000a(out: SegmentWriter, *, submitter: Submitter) -> None:
    """Submitter name and electronic transmitter id (46), and its EDI contact."""
    organization_nm1(
        out, entity="41", name=submitter.name, qualifier="46", identifier=submitter.identifier
    )
    out.add("PER", "IC", submitter.contact_name, "TE", submitter.phone)


def _write_hierarchy(out: SegmentWriter, *, claims: Sequence[Claim]) -> None:
    """One 2000A per run of claims from the same billing provider; one 2000B (and 2000C for a
    dependent patient) per claim. HL ids count up from 1 within the transaction set."""
    hl_id = 0
    provider_hl = 0
    current_provider = None
    for claim in claims:
        if claim.billing_provider != current_provider:
            current_provider = claim.billing_provider
            hl_id += 1
            provider_hl = hl_id
            write_2000a(out, hl_id=hl_id, provider=current_provider)
        hl_id += 1
        subscriber_hl = hl_id
        write_2000b(out, hl_id=subscriber_hl, parent_id=provider_hl, claim=claim)
        if claim.patient is not None:
            hl_id += 1
            write_2000c(out, hl_id=hl_id, parent_id=subscriber_hl, patient=claim.patient)
        write_2300(out, claim=claim)
