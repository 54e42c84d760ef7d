"""Synthetic inquiries for the 270 and 276 writer tests (all names and ids are made up)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from otclinic.domain.claims.x12.inquiry import InquiryEnvelope, Payer, Person, Provider
from otclinic.domain.claims.x12.inquiry270 import EligibilityBatch, EligibilityInquiry
from otclinic.domain.claims.x12.inquiry276 import (
    ClaimInquiry,
    ClaimStatusBatch,
    InformationReceiver,
)
from otclinic.domain.claims.x12.interchange import ControlNumbers, InterchangeParty
from otclinic.domain.claims.x12.p837.parties import PersonName

CREATED_AT = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
NUMBERS = ControlNumbers(interchange=41, group=42, transaction=43)
ENVELOPE = InquiryEnvelope(
    sender=InterchangeParty("ZZ", "SUNRISEOT"),
    receiver=InterchangeParty("ZZ", "CLEARHOUSE"),
    application_sender="SUNRISEOT",
    application_receiver="CLEARHOUSE",
    usage="T",
)
PAYER = Payer(name="MEDICARE PART B", payer_id="04412")
PROVIDER = Provider(npi="1234567893", organization="SUNRISE OCCUPATIONAL THERAPY")
SUBSCRIBER = Person(
    name=PersonName(last="Rivera", first="Zoë"),
    member_id="1EG4TE5MK73",
    birth_date=date(1951, 4, 2),
    sex="F",
)
CHILD = Person(name=PersonName(last="Rivera", first="Mateo"), birth_date=date(2018, 7, 9), sex="M")


def eligibility_batches(count: int = 2, *, dependent: bool = False) -> list[EligibilityBatch]:
    inquiries = tuple(
        EligibilityInquiry(
            trace_number=f"ELIG{n:04d}",
            originator="1123456789",
            subscriber=SUBSCRIBER,
            dependent=CHILD if dependent else None,
            service_date=date(2026, 12, 4),
        )
        for n in range(count)
    )
    return [EligibilityBatch(payer=PAYER, provider=PROVIDER, inquiries=inquiries)]


def status_batches(count: int = 2, *, patient: bool = False) -> list[ClaimStatusBatch]:
    claims = tuple(
        ClaimInquiry(
            trace_number=f"STAT{n:04d}",
            claim_number=f"CLM-{n:05d}",
            subscriber=SUBSCRIBER,
            patient=CHILD if patient else None,
            charge=Decimal("312.50"),
            service_from=date(2026, 10, 1),
            service_to=date(2026, 10, 1 + n % 2),
            payer_claim_number="PAYER123" if n % 2 else "",
        )
        for n in range(count)
    )
    receiver = InformationReceiver(name="SUNRISE OCCUPATIONAL THERAPY", identifier="SUNRISEOT")
    return [ClaimStatusBatch(payer=PAYER, receiver=receiver, provider=PROVIDER, claims=claims)]
