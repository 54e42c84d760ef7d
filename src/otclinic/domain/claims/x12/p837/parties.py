"""Who a claim is from, about and to: the 1000A/1000B and 2010 loops' facts."""

from dataclasses import dataclass
from datetime import date

from otclinic.domain.claims.x12.p837.codes import (
    ClaimFilingIndicator,
    PayerResponsibility,
    Relationship,
    Sex,
)
from otclinic.domain.codes import Role

OCCUPATIONAL_THERAPIST_TAXONOMY = "225X00000X"
"""NUCC health care provider taxonomy code for an occupational therapist (PRV03)."""


@dataclass(frozen=True, slots=True)
class Address:
    """N3/N4: street lines, city, state and ZIP code (5 or 9 digits)."""

    line1: str
    city: str
    state: str
    postal_code: str
    line2: str = ""


@dataclass(frozen=True, slots=True)
class PersonName:
    """NM103-NM105 for a person (entity type 1)."""

    last: str
    first: str
    middle: str = ""


@dataclass(frozen=True, slots=True)
class Submitter:
    """Loop 1000A: who sends the file, with the contact the receiver calls (PER*IC)."""

    name: str
    identifier: str
    contact_name: str
    phone: str


@dataclass(frozen=True, slots=True)
class Receiver:
    """Loop 1000B: the clearinghouse or payer that receives the file."""

    name: str
    identifier: str


@dataclass(frozen=True, slots=True)
class BillingProvider:
    """Loop 2010AA (and 2010AB pay-to address when payments go elsewhere).

    The billing address must be a street address with a 9-digit ZIP code (2010AA N3/N4 notes).
    """

    organization_name: str
    npi: str
    ein: str
    address: Address
    taxonomy: str | None = OCCUPATIONAL_THERAPIST_TAXONOMY
    pay_to_address: Address | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    """Loop 2010BB (and 2330B for another payer): the payer's name and payer id (NM109, PI)."""

    name: str
    payer_id: str
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """Loop 2000B/2010BA: the insured, and the SBR facts of the coverage billed.

    `group_number` is SBR03; `insurance_type` is SBR05, which Medicare needs when it is not the
    primary payer (e.g. "12", working aged).
    """

    member_id: str
    name: PersonName
    birth_date: date
    sex: Sex
    address: Address
    responsibility: PayerResponsibility
    filing_indicator: ClaimFilingIndicator
    group_number: str = ""
    insurance_type: str = ""


@dataclass(frozen=True, slots=True)
class Patient:
    """Loop 2000C/2010CA: the patient, when the patient is not the subscriber."""

    name: PersonName
    birth_date: date
    sex: Sex
    address: Address
    relationship: Relationship


@dataclass(frozen=True, slots=True)
class Clinician:
    """An individual provider by name and NPI: referring (2310A) or rendering (2310B).

    The rendering provider is the supervising occupational therapist, never the assistant
    (OTAs do not enroll with Medicare; 42 CFR 410.59(c)(1)). `role`, when known, is not
    written: it lets the checks refuse an assistant as rendering provider.
    """

    name: PersonName
    npi: str
    taxonomy: str | None = None
    role: Role | None = None


@dataclass(frozen=True, slots=True)
class ServiceFacility:
    """Loop 2310C: where the services were furnished, when not the billing address."""

    name: str
    address: Address
    npi: str | None = None
