"""Claim and ExplanationOfBenefit (FHIR R4) as data: code systems and status maps.

Element choices follow the CARIN Consumer Directed Payer Data Exchange IG (CARIN Blue Button
2.x, http://hl7.org/fhir/us/carin-bb/), profile "ExplanationOfBenefit Professional
NonClinician", where its choices fit what a clinic (not a payer) records: the claim type
`professional`, the unique claim id as identifier type `uc`, each CARC as an adjudication of
the category `adjustmentreason` (C4BBAdjudicationDiscriminator) with the X12 CARC code as
reason. The profiles are not claimed in `meta.profile`: CARIN's required payer elements (the
payer's own claim adjudication categories, the provider network status, the benefit payment
status) are the payer's to state, not the clinic's. Claim has no US Core or CARIN profile.
"""

from types import MappingProxyType
from typing import Final

from otclinic.domain.fhir.terminology import CPT

CLAIM_TYPE: Final = "http://terminology.hl7.org/CodeSystem/claim-type"
PROCESS_PRIORITY: Final = "http://terminology.hl7.org/CodeSystem/processpriority"
CLAIM_USE: Final = "http://hl7.org/fhir/claim-use"
EOB_STATUS: Final = "http://hl7.org/fhir/explanationofbenefit-status"
ADJUDICATION: Final = "http://terminology.hl7.org/CodeSystem/adjudication"
RELATED_CLAIM: Final = "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship"
PAYMENT_TYPE: Final = "http://terminology.hl7.org/CodeSystem/ex-paymenttype"
C4BB_DISCRIMINATOR: Final = (
    "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator"
)
C4BB_IDENTIFIER_TYPE: Final = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType"
CARC: Final = "https://x12.org/codes/claim-adjustment-reason-codes"
RARC: Final = "https://x12.org/codes/remittance-advice-remark-codes"
CAS_GROUP: Final = "https://x12.org/codes/claim-adjustment-group-codes"
HCPCS: Final = "urn:oid:2.16.840.1.113883.6.285"
PLACE_OF_SERVICE: Final = (
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
)
# RARCs have no CARIN slice: each is an adjudication of this category, with the RARC as reason.
LOCAL_ADJUDICATION: Final = "urn:otclinic:fhir:adjudication"
CURRENCY: Final = "USD"

# Claim.status (R4 FinancialResourceStatusCodes) by otclinic's claim status: a void claim is
# cancelled, a draft one draft, every claim in the payer's hands active.
CLAIM_STATUS: Final = MappingProxyType(
    {
        "draft": "draft",
        "ready": "active",
        "submitted": "active",
        "accepted": "active",
        "rejected": "active",
        "paid": "active",
        "denied": "active",
        "appealed": "active",
        "void": "cancelled",
    }
)


def procedure_system(code: str) -> str:
    """CPT for five digits (and Category II/III codes ending in F or T), HCPCS Level II for a
    letter and four digits (E0100, G0283)."""
    return HCPCS if code[:1].isalpha() else CPT


def modifier_system(modifier: str) -> str:
    """CPT modifiers are two digits (59, 76); HCPCS Level II modifiers have a letter (GO, KX)."""
    return CPT if modifier.isdigit() else HCPCS
