"""The code lists the 837P writer uses, each with the element that carries it (005010X222A1)."""

from enum import StrEnum


class Usage(StrEnum):
    """ISA15: whether the interchange holds test or production data."""

    TEST = "T"
    PRODUCTION = "P"


class PayerResponsibility(StrEnum):
    """SBR01: the order in which this payer pays (primary, secondary, tertiary)."""

    PRIMARY = "P"
    SECONDARY = "S"
    TERTIARY = "T"


class ClaimFilingIndicator(StrEnum):
    """SBR09: the kind of coverage the payer is billed under (a subset of the guide's list)."""

    MEDICARE_PART_B = "MB"
    MEDICAID = "MC"
    COMMERCIAL = "CI"
    BLUE_CROSS_BLUE_SHIELD = "BL"
    HMO_MEDICARE_RISK = "16"
    HMO = "HM"
    PPO = "12"
    POS = "13"
    TRICARE = "CH"
    VETERANS_AFFAIRS = "VA"
    WORKERS_COMPENSATION = "WC"
    OTHER_FEDERAL = "OF"
    MUTUALLY_DEFINED = "ZZ"


class Relationship(StrEnum):
    """SBR02 / PAT01: the patient's relationship to the insured (Individual Relationship Code)."""

    SELF = "18"
    SPOUSE = "01"
    CHILD = "19"
    EMPLOYEE = "20"
    LIFE_PARTNER = "53"
    UNKNOWN = "21"
    OTHER = "G8"


class Sex(StrEnum):
    """DMG03: the sex on the insurance card."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class ClaimFrequency(StrEnum):
    """CLM05-3: original claim, replacement (correction) or void (NUBC frequency codes)."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"

    @property
    def needs_payer_claim_number(self) -> bool:
        """A replacement or void names the payer's claim it changes (REF*F8)."""
        return self is not ClaimFrequency.ORIGINAL


class AdjustmentGroup(StrEnum):
    """CAS01: who the adjustment is charged to."""

    CONTRACTUAL = "CO"
    OTHER = "OA"
    PAYER_INITIATED = "PI"
    PATIENT_RESPONSIBILITY = "PR"
