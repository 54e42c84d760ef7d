"""What the 835 reader keeps while it reads one transaction set: the open claim and service
line, and what has been read so far. Shared by `era_transaction` (header, claims, summary) and
`era_service_line` (loop 2110)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12 import era_values as v
from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Payment,
    ProviderAdjustment,
)
from otclinic.domain.claims.x12.tokens import Separators, make_segment


class ServiceBuilder:
    """A service line being read (SVC, then its DTM, CAS and LQ)."""

    __slots__ = ("adjustments", "amounts", "modifiers", "procedure", "remarks", "service_date")

    def __init__(
        self, procedure: str, modifiers: tuple[str, ...], amounts: tuple[Decimal, Decimal, Decimal]
    ) -> None:
        self.procedure = procedure
        self.modifiers = modifiers
        self.amounts = amounts  # charge, paid, units
        self.service_date: date | None = None
        # Tuples grown by concatenation: most services have no CAS or LQ, and the empty tuple
        # costs nothing to make.
        self.adjustments: tuple[Adjustment, ...] = ()
        self.remarks: tuple[str, ...] = ()


class ClaimBuilder:
    """A claim being read (CLP, then its CAS, DTM and services)."""

    __slots__ = (
        "adjustments",
        "amounts",
        "claim_date",
        "crossover",
        "patient_control_number",
        "payer_claim_number",
        "services",
        "status_code",
    )

    def __init__(self, clp: list[str], amounts: tuple[Decimal, Decimal, Decimal]) -> None:
        self.patient_control_number = clp[1]
        self.status_code = clp[2]
        self.payer_claim_number = (clp[7] if len(clp) > 7 else "") or None
        self.amounts = amounts  # charge, paid, patient responsibility
        self.claim_date: date | None = None
        self.adjustments: tuple[Adjustment, ...] = ()
        self.services: list[ServiceBuilder] = []
        # NM1*TT name and id, MOA remarks: a crossover (`ClaimPayment.crossed_over`).
        self.crossover: tuple[str | None, str | None, tuple[str, ...]] = (None, None, ())


@dataclass(slots=True)
class Reading:
    """What has been read so far in one transaction set."""

    separators: Separators
    warnings: list[str]
    entity: str = ""  # the open N1 loop: PR (payer), PE (payee) or "" once claims start
    payer: dict[str, str | None] = field(default_factory=dict)
    payee: dict[str, str | None] = field(default_factory=dict)
    payer_contact: bool = False
    payment: Payment | None = None
    trace_number: str | None = None
    originator: str | None = None  # TRN03: the payer's identifier of its payments
    # The last claim read, still open to its CAS and DTM segments; the claims before it are
    # finished (made frozen) when the next CLP opens, so their builders never grow old.
    claim: ClaimBuilder | None = None
    claims: list[ClaimPayment] = field(default_factory=list)
    service: ServiceBuilder | None = None
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """A defect the reading goes on past; `message` names the segment and position."""
        self.warnings.append(message)


def open_claim(reading: Reading, elements: list[str], position: int) -> ClaimBuilder:
    """The claim a CAS or SVC belongs to; one outside any claim is structural damage."""
    if reading.claim is None or reading.entity:
        segment = make_segment(position, tuple(elements))
        raise v.EraError(f"{segment.where()}: {segment.tag} outside a claim (no CLP before it)")
    return reading.claim
