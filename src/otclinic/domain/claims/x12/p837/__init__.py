"""The 837P 005010X222A1 writer: typed claim facts in, an interchange out.

Loops and segments are named after the implementation guide (`write_2300`, `write_2430`...).
Start with `write_interchange`; `claim_problems` checks one claim without writing it.
"""

from otclinic.domain.claims.x12.interchange import (
    ControlNumberError,
    ControlNumbers,
    InterchangeParty,
)
from otclinic.domain.claims.x12.p837.claim import (
    Adjustment,
    Claim,
    LineAdjudication,
    OtherPayer,
    ServiceLine,
)
from otclinic.domain.claims.x12.p837.codes import (
    AdjustmentGroup,
    ClaimFilingIndicator,
    ClaimFrequency,
    PayerResponsibility,
    Relationship,
    Sex,
    Usage,
)
from otclinic.domain.claims.x12.p837.envelope import (
    Envelope,
    WrittenInterchange,
    WrittenTransaction,
    batch_by_payer,
    write_interchange,
)
from otclinic.domain.claims.x12.p837.parties import (
    OCCUPATIONAL_THERAPIST_TAXONOMY,
    Address,
    BillingProvider,
    Clinician,
    Patient,
    Payer,
    PersonName,
    Receiver,
    ServiceFacility,
    Submitter,
    Subscriber,
)
from otclinic.domain.claims.x12.p837.problems import InvalidClaims, Problem
from otclinic.domain.claims.x12.p837.validate import claim_problems, validate_claims

__all__ = [
    "OCCUPATIONAL_THERAPIST_TAXONOMY",
    "Address",
    "Adjustment",
    "AdjustmentGroup",
    "BillingProvider",
    "Claim",
    "ClaimFilingIndicator",
    "ClaimFrequency",
    "Clinician",
    "ControlNumberError",
    "ControlNumbers",
    "Envelope",
    "InterchangeParty",
    "InvalidClaims",
    "LineAdjudication",
    "OtherPayer",
    "Patient",
    "Payer",
    "PayerResponsibility",
    "PersonName",
    "Problem",
    "Receiver",
    "Relationship",
    "ServiceFacility",
    "ServiceLine",
    "Sex",
    "Submitter",
    "Subscriber",
    "Usage",
    "WrittenInterchange",
    "WrittenTransaction",
    "batch_by_payer",
    "claim_problems",
    "validate_claims",
    "write_interchange",
]
