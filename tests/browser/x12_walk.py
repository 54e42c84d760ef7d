"""X12 for the revenue walk: read back the claims of an exported 837P, and write the 835 a payer
would answer them with (005010X221A1), so the test posts a remittance for its own claims.

The 835 balances the way the implementation guide requires (TR3 1.10.2.1): per service line,
SVC02 - SVC03 = the sum of its CAS amounts; per claim, CLP03 = sum of SVC02, CLP04 = sum of
SVC03 and CLP05 = the PR amounts; BPR02 = sum of CLP04. SE01 counts ST to SE, GE01 the
transaction sets, IEA01 the groups.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BilledLine:
    """One SV1 of the 837P: the procedure composite as sent, its charge, units and date."""

    composite: tuple[str, ...]  # ("HC", "97530", "GO", ...)
    charge: Decimal
    units: int
    date_of_service: dt.date

    @property
    def code(self) -> str:
        return self.composite[1]


@dataclass
class BilledClaim:
    """One CLM of the 837P with its subscriber's member id and service lines."""

    control_number: str
    total: Decimal
    member_id: str
    lines: list[BilledLine] = field(default_factory=list)


def claims_in_837(text: str) -> list[BilledClaim]:
    """The claims of an 837P, in file order (separators from ISA)."""
    element, component, terminator = text[3], text[104], text[105]
    claims: list[BilledClaim] = []
    member_id = ""
    pending: tuple[tuple[str, ...], Decimal, int] | None = None
    for raw in text.split(terminator):
        e = raw.strip().split(element)
        if e[0] == "NM1" and e[1] == "IL":
            member_id = e[9]
        elif e[0] == "CLM":
            claims.append(BilledClaim(e[1], Decimal(e[2]).quantize(ZERO), member_id))
        elif e[0] == "SV1":
            pending = (
                tuple(e[1].split(component)),
                Decimal(e[2]).quantize(ZERO),
                int(Decimal(e[4])),
            )
        elif e[0] == "DTP" and e[1] == "472" and pending is not None:
            on = dt.datetime.strptime(e[3][:8], "%Y%m%d").date()
            claims[-1].lines.append(BilledLine(*pending, date_of_service=on))
            pending = None
    return claims


@dataclass(frozen=True)
class LinePayment:
    """What the payer did with one billed line: paid, and CAS (group, reason, amount) triples."""

    line: BilledLine
    paid: Decimal
    adjustments: tuple[tuple[str, str, Decimal], ...]
    allowed: Decimal | None = None


@dataclass(frozen=True)
class ClaimAnswer:
    claim: BilledClaim
    status: str  # CLP02: 1 processed as primary, 4 denied
    payer_claim_number: str
    lines: tuple[LinePayment, ...]

    @property
    def paid(self) -> Decimal:
        return sum((p.paid for p in self.lines), ZERO)

    @property
    def patient_responsibility(self) -> Decimal:
        return sum((a for p in self.lines for g, _, a in p.adjustments if g == "PR"), ZERO)


def _money(amount: Decimal) -> str:
    """X12 R: no trailing zeros needed, never a float."""
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _claim_segments(answer: ClaimAnswer, day: str) -> list[str]:
    c = answer.claim
    charge = sum((p.line.charge for p in answer.lines), ZERO)
    segments = [
        f"CLP*{c.control_number}*{answer.status}*{_money(charge)}*{_money(answer.paid)}"
        f"*{_money(answer.patient_responsibility)}*MB*{answer.payer_claim_number}*11*1",
        f"NM1*QC*1*PATIENT*ANY****MI*{c.member_id}",
        f"DTM*050*{day}",
    ]
    for p in answer.lines:
        assert p.line.charge - p.paid == sum((a for _, _, a in p.adjustments), ZERO), p
        segments += [
            f"SVC*{':'.join(p.line.composite)}*{_money(p.line.charge)}*{_money(p.paid)}"
            f"**{p.line.units}",
            f"DTM*472*{p.line.date_of_service:%Y%m%d}",
        ]
        segments += [f"CAS*{g}*{r}*{_money(a)}" for g, r, a in p.adjustments]
        if p.allowed is not None:
            segments.append(f"AMT*B6*{_money(p.allowed)}")
    return segments


def write_835(
    answers: list[ClaimAnswer],
    *,
    paid_on: dt.date,
    payee_name: str,
    payee_npi: str,
    control: int = 1,
) -> str:
    """One interchange, one group, one 835 transaction set answering `answers`."""
    total = sum((a.paid for a in answers), ZERO)
    day = f"{paid_on:%Y%m%d}"
    body = [
        f"ST*835*{control:04d}",
        f"BPR*I*{_money(total)}*C*ACH*CCP*01*011000015*DA*123456789*1512345678**01*"
        f"021000021*DA*987654321*{day}",
        f"TRN*1*EFT{control:09d}*1512345678",
        f"DTM*405*{day}",
        "N1*PR*MEDICARE PART B",
        "N3*PO BOX 100",
        "N4*COLUMBUS*OH*43215",
        "PER*BL*EDI SUPPORT*TE*8005550100",
        f"N1*PE*{payee_name.upper()[:60]}*XX*{payee_npi}",
        "LX*1",
    ]
    for answer in answers:
        body += _claim_segments(answer, day)
    body.append(f"SE*{len(body) + 1}*{control:04d}")
    isa = (
        "ISA*00*          *00*          *ZZ*{:<15}*ZZ*{:<15}*{:%y%m%d}*1200*^*00501*{:09d}*0*T*:"
    ).format("MEDICAREB", "OTCLINIC", paid_on, control)
    envelope = [
        isa,
        f"GS*HP*MEDICAREB*OTCLINIC*{day}*1200*{control}*X*005010X221A1",
        *body,
        f"GE*1*{control}",
        f"IEA*1*{control:09d}",
    ]
    return "~\n".join(envelope) + "~\n"
