"""What an ERA (X12 835, 005010X221A1) says, as frozen facts: the reader's output.

Names follow docs/contracts/era-read.md; the comments name the 835 element each field
comes from. Money is `Decimal` with two places, signs as in the file; dates are `date`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS triple: group code (CAS01: CO, PR, OA, PI, CR), CARC and amount."""

    group: str
    reason: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ServicePayment:
    """Loop 2110: one service line as the payer adjudicated it (SVC and what follows)."""

    procedure: str  # SVC01-2
    modifiers: tuple[str, ...]  # SVC01-3..6
    charge: Decimal  # SVC02
    paid: Decimal  # SVC03
    units: Decimal  # SVC05, 1 when absent
    date: date | None  # DTM*472 (or DTM*150), else the claim's DTM*232
    adjustments: tuple[Adjustment, ...]  # CAS in loop 2110
    remarks: tuple[str, ...]  # LQ*HE (RARC)


# CLP02 "processed as primary, secondary or tertiary, forwarded to additional payer(s)"
# (835 TR3 2100 CLP02 codes 19, 20, 21).
FORWARDED_STATUS = frozenset({"19", "20", "21"})
# RARC MA18 "The claim information is also being forwarded to the patient's supplemental
# insurer" and N89 "Payment information for this claim has been forwarded to more than one
# other payer" (X12 Remittance Advice Remark Codes list).
FORWARDED_REMARKS = frozenset({"MA18", "N89"})


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    """Loop 2100: one claim (CLP) with its claim-level adjustments and its service lines."""

    patient_control_number: str  # CLP01: our claim id as we sent it in CLM01
    status_code: str  # CLP02: 1 primary, 2 secondary, 4 denied, 22 reversal...
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal  # CLP05, zero when absent (situational: sent when owed)
    payer_claim_number: str | None  # CLP07
    adjustments: tuple[Adjustment, ...]  # CAS in loop 2100
    services: tuple[ServicePayment, ...]
    crossover_payer: str | None = None  # NM1*TT NM103: the crossover carrier's name
    crossover_payer_id: str | None = None  # NM1*TT NM109 (NM108 PI or XV)
    moa_remarks: tuple[str, ...] = ()  # MOA03-07: Medicare outpatient adjudication remarks

    @property
    def crossed_over(self) -> bool:
        """The payer forwarded the claim to another payer (a Medicare crossover): CLP02 19, 20
        or 21, a crossover carrier named (NM1*TT), or remark MA18 or N89 in MOA."""
        return (
            self.status_code in FORWARDED_STATUS
            or bool(self.crossover_payer or self.crossover_payer_id)
            or any(code in FORWARDED_REMARKS for code in self.moa_remarks)
        )


@dataclass(frozen=True, slots=True)
class Payer:
    """Loop 1000A: N1*PR name; id from REF*2U, else N104."""

    name: str | None
    id: str | None


@dataclass(frozen=True, slots=True)
class Payee:
    """Loop 1000B: N1*PE name; NPI when N103 is XX; tax id from N103 FI or REF*TJ."""

    name: str | None
    npi: str | None
    tax_id: str | None


@dataclass(frozen=True, slots=True)
class Payment:
    """BPR02 amount, BPR04 method (ACH, CHK, FWT, BOP, NON), BPR16 date, TRN02 trace number
    and TRN03 originating company (the payer's identifier of its payments)."""

    amount: Decimal
    method: str
    date: date | None
    trace_number: str | None
    originator: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """PLB: reason (the first component of PLB03, 05...) and amount, sign as in the file.

    A positive amount reduces the payment (the provider owes the payer); a negative one adds to it.
    """

    reason: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Transaction:
    """One ST/SE transaction set: one payment from one payer to one payee."""

    control_number: str  # ST02
    position: int  # where its ST is in the file, for messages
    payer: Payer
    payee: Payee
    payment: Payment
    claims: tuple[ClaimPayment, ...]
    provider_adjustments: tuple[ProviderAdjustment, ...]
    # For a set without TRN02 (else ""): what it says, hashed without its separators and control
    # numbers (era_transaction.fingerprint), to recognise it when it is sent again.
    fingerprint: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Remittance:
    """Every transaction in a file, across all its interchanges and groups, and what is off."""

    transactions: tuple[Transaction, ...]
    warnings: tuple[str, ...] = ()


# Readers make one Adjustment, ServicePayment and ClaimPayment per CAS triple, service and claim:
# tens of thousands per file. These fill the frozen dataclasses' slots directly, which takes
# about two thirds of the time their `__init__` does; the objects are the same.
_new = object.__new__


def _setters(cls: type) -> list[Any]:
    return [cls.__dict__[name].__set__ for name in cls.__dataclass_fields__]  # type: ignore[attr-defined]


_ADJUSTMENT = _setters(Adjustment)
_SERVICE = _setters(ServicePayment)
_CLAIM = _setters(ClaimPayment)


def make_adjustment(group: str, reason: str, amount: Decimal) -> Adjustment:
    """`Adjustment(group, reason, amount)`."""
    made: Adjustment = _new(Adjustment)
    set_group, set_reason, set_amount = _ADJUSTMENT
    set_group(made, group)
    set_reason(made, reason)
    set_amount(made, amount)
    return made


def make_service_payment(
    procedure: str,
    modifiers: tuple[str, ...],
    amounts: tuple[Decimal, Decimal, Decimal],
    service_date: date | None,
    adjustments: tuple[Adjustment, ...],
    remarks: tuple[str, ...],
) -> ServicePayment:
    """`ServicePayment(procedure, modifiers, *amounts, service_date, adjustments, remarks)`;
    `amounts` are the charge, the amount paid and the units."""
    made: ServicePayment = _new(ServicePayment)
    set_procedure, set_modifiers, set_charge, set_paid, set_units, set_date, set_adj, set_rem = (
        _SERVICE
    )
    set_procedure(made, procedure)
    set_modifiers(made, modifiers)
    set_charge(made, amounts[0])
    set_paid(made, amounts[1])
    set_units(made, amounts[2])
    set_date(made, service_date)
    set_adj(made, adjustments)
    set_rem(made, remarks)
    return made


def make_claim_payment(
    numbers: tuple[str, str, str | None],
    amounts: tuple[Decimal, Decimal, Decimal],
    adjustments: tuple[Adjustment, ...],
    services: tuple[ServicePayment, ...],
    crossover: tuple[str | None, str | None, tuple[str, ...]] = (None, None, ()),
) -> ClaimPayment:
    """`ClaimPayment(...)` from its patient control number, status code and payer claim number,
    its charge, amount paid and patient responsibility, adjustments and services, and its
    crossover carrier's name and id and MOA remarks."""
    made: ClaimPayment = _new(ClaimPayment)
    set_pcn, set_status, set_charge, set_paid, set_owed, set_payer_number, set_adj, set_services = (
        _CLAIM[:8]
    )
    set_crossover_name, set_crossover_id, set_moa = _CLAIM[8:]
    set_crossover_name(made, crossover[0])
    set_crossover_id(made, crossover[1])
    set_moa(made, crossover[2])
    set_pcn(made, numbers[0])
    set_status(made, numbers[1])
    set_charge(made, amounts[0])
    set_paid(made, amounts[1])
    set_owed(made, amounts[2])
    set_payer_number(made, numbers[2])
    set_adj(made, adjustments)
    set_services(made, services)
    return made
