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
    status: str  # CLP02: 1 processed as primary, 2 as secondary, 4 denied, 19 and forwarded
    payer_claim_number: str
    lines: tuple[LinePayment, ...]
    filing: str = "MB"  # CLP06: MB Medicare Part B, 12 a PPO
    forwarded_to: tuple[str, str] | None = None  # crossover: NM1*TT name and payer id

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
        f"*{_money(answer.patient_responsibility)}*{answer.filing}*{answer.payer_claim_number}"
        "*11*1",
        f"NM1*QC*1*PATIENT*ANY****MI*{c.member_id}",
    ]
    if answer.forwarded_to is not None:
        name, payer_id = answer.forwarded_to
        # Loop 2100 NM1*TT (crossover carrier) and MOA with RARC MA18 (forwarded).
        segments += [f"NM1*TT*2*{name}*****PI*{payer_id}", "MOA***MA18"]
    segments.append(f"DTM*050*{day}")
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
    payer_name: str = "MEDICARE PART B",
    sender: str = "MEDICAREB",
) -> str:
    """One interchange, one group, one 835 transaction set from `payer_name` answering
    `answers`."""
    total = sum((a.paid for a in answers), ZERO)
    day = f"{paid_on:%Y%m%d}"
    body = [
        f"ST*835*{control:04d}",
        f"BPR*I*{_money(total)}*C*ACH*CCP*01*011000015*DA*123456789*1512345678**01*"
        f"021000021*DA*987654321*{day}",
        f"TRN*1*EFT{control:09d}*1512345678",
        f"DTM*405*{day}",
        f"N1*PR*{payer_name}",
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
    ).format(sender, "OTCLINIC", paid_on, control)
    envelope = [
        isa,
        f"GS*HP*{sender}*OTCLINIC*{day}*1200*{control}*X*005010X221A1",
        *body,
        f"GE*1*{control}",
        f"IEA*1*{control:09d}",
    ]
    return "~\n".join(envelope) + "~\n"


# --- The clearinghouse's answers to an exported 837P: a 999 and a 277CA ----------------------


@dataclass(frozen=True)
class Envelope837:
    """What a 999 and a 277CA echo of an 837P file: GS06 and each transaction set's ST02."""

    group_control_number: str
    set_control_numbers: tuple[str, ...]


def envelope_of_837(text: str) -> Envelope837:
    element, terminator = text[3], text[105]
    group, sets = "", []
    for raw in text.split(terminator):
        e = raw.strip().split(element)
        if e[0] == "GS":
            group = e[6]
        elif e[0] == "ST":
            sets.append(e[2])
    return Envelope837(group, tuple(sets))


def _interchange(
    body: list[str],
    *,
    functional_id: str,
    version: str,
    on: dt.date,
    control: int,
    sender: str = "CLEARHOUSE",
    sets: int = 1,
) -> str:
    """ISA/GS/GE/IEA from the clearinghouse (or payer) to us around `sets` transaction sets."""
    isa = (
        "ISA*00*          *00*          *ZZ*{:<15}*ZZ*{:<15}*{:%y%m%d}*1500*^*00501*{:09d}*0*T*:"
    ).format(sender, "OTCLINIC", on, control)
    return (
        "~\n".join(
            [
                isa,
                f"GS*{functional_id}*{sender}*OTCLINIC*{on:%Y%m%d}*1500*{control}*X*{version}",
                *body,
                f"GE*{sets}*{control}",
                f"IEA*1*{control:09d}",
            ]
        )
        + "~\n"
    )


def write_999(text_837: str, *, on: dt.date, control: int) -> str:
    """The 999 that accepts every transaction set of an 837P (005010X231A1): AK1 names our
    group (GS06), AK2/IK5 each set (ST02), AK9 the group's verdict and counts."""
    sent = envelope_of_837(text_837)
    n = len(sent.set_control_numbers)
    body = ["ST*999*0001*005010X231A1", f"AK1*HC*{sent.group_control_number}*005010X222A1"]
    for number in sent.set_control_numbers:
        body += [f"AK2*837*{number}*005010X222A1", "IK5*A"]
    body.append(f"AK9*A*{n}*{n}*{n}")
    body.append(f"SE*{len(body) + 1}*0001")
    return _interchange(body, functional_id="FA", version="005010X231A1", on=on, control=control)


@dataclass(frozen=True)
class Rejection277:
    """STC01 of a rejected claim: category (A7: not accepted, invalid), status and entity."""

    category: str = "A7"
    status: str = "164"  # entity's contract/member number
    entity: str = "IL"  # insured or subscriber


def write_277ca(
    claims: list[BilledClaim],
    *,
    rejected: dict[str, Rejection277],
    on: dt.date,
    control: int,
    payer_claim_numbers: dict[str, str],
) -> str:
    """A 277CA (005010X214) answering `claims`: accepted (A2:20, the payer's claim number in
    REF*1K) unless `rejected` names the claim (by CLM01). QTY/AMT count and sum each side."""
    day = f"{on:%Y%m%d}"
    good = [c for c in claims if c.control_number not in rejected]
    bad = [c for c in claims if c.control_number in rejected]
    total = sum((c.total for c in claims), ZERO)
    body = [
        "ST*277*0001*005010X214",
        f"BHT*0085*08*277CA{control:04d}*{day}*1500*TH",
        "HL*1**20*1",
        "NM1*AY*2*CLEARHOUSE*****46*CLEARHOUSE",
        f"TRN*1*{control:013d}",
        f"DTP*050*D8*{day}",
        f"DTP*009*D8*{day}",
        "HL*2*1*21*1",
        "NM1*41*2*OTCLINIC*****46*OTCLINIC",
        f"TRN*2*{control:013d}",
        f"STC*A1:19:PR*{day}*WQ*{_money(total)}",
        f"QTY*90*{len(good)}",
        f"QTY*AA*{len(bad)}",
        f"AMT*YU*{_money(sum((c.total for c in good), ZERO))}",
        f"AMT*YY*{_money(sum((c.total for c in bad), ZERO))}",
        "HL*3*2*19*1",
        "NM1*85*2*OTCLINIC*****XX*1234567893",
        "TRN*1*PROVIDER0001",
        f"STC*A1:19:85**WQ*{_money(total)}",
    ]
    for hl, claim in enumerate(claims, start=4):
        first = min(line.date_of_service for line in claim.lines)
        last = max(line.date_of_service for line in claim.lines)
        body += [
            f"HL*{hl}*3*PT",
            f"NM1*QC*1*PATIENT*ANY****MI*{claim.member_id}",
            f"TRN*2*{claim.control_number}",
        ]
        if claim.control_number in rejected:
            r = rejected[claim.control_number]
            body.append(f"STC*{r.category}:{r.status}:{r.entity}*{day}*U*{_money(claim.total)}")
        else:
            body += [
                f"STC*A2:20:PR*{day}*WQ*{_money(claim.total)}",
                f"REF*1K*{payer_claim_numbers[claim.control_number]}",
            ]
        body.append(
            f"DTP*472*D8*{first:%Y%m%d}"
            if first == last
            else f"DTP*472*RD8*{first:%Y%m%d}-{last:%Y%m%d}"
        )
    body.append(f"SE*{len(body) + 1}*0001")
    return _interchange(body, functional_id="HN", version="005010X214", on=on, control=control)


# --- The payer's 271 answers to a 270 written by the eligibility page ------------------------


@dataclass(frozen=True)
class Asked:
    """One inquiry of a 270: our trace number (TRN02) and the subscriber as sent."""

    trace_number: str
    last: str
    first: str
    member_id: str


def inquiries_in_270(text: str) -> list[Asked]:
    element, terminator = text[3], text[105]
    asked, trace = [], ""
    for raw in text.split(terminator):
        e = raw.strip().split(element)
        if e[0] == "TRN" and e[1] == "1":
            trace = e[2]
        elif e[0] == "NM1" and e[1] == "IL":
            asked.append(Asked(trace, e[3], e[4], e[9]))
    return asked


@dataclass(frozen=True)
class Benefits:
    """What the payer answers for one member: active or not, the plan, an OT copay and the
    therapy visits left in the year."""

    active: bool
    plan: str
    copay: Decimal
    visits_left: int


def write_271(answers: list[tuple[Asked, Benefits]], *, on: dt.date, control: int) -> str:
    """A 271 (005010X279A1), one transaction set answering each inquiry by its trace number."""
    body: list[str] = []
    for number, (asked, b) in enumerate(answers, start=1):
        st = f"{number:04d}"
        segments = [
            f"ST*271*{st}*005010X279A1",
            f"BHT*0022*11*{control}{st}*{on:%Y%m%d}*1500",
            "HL*1**20*1",
            "NM1*PR*2*MEDICARE PART B*****PI*04412",
            "HL*2*1*21*1",
            "NM1*1P*2*OTCLINIC*****XX*1234567893",
            "HL*3*2*22*0",
            f"TRN*2*{asked.trace_number}*9877281234",
            f"NM1*IL*1*{asked.last}*{asked.first}****MI*{asked.member_id}",
            f"EB*{1 if b.active else 6}**30**{b.plan}",
        ]
        if b.active:
            segments += [
                f"EB*B**AD*MB*{b.plan}*27*{_money(b.copay)}",
                f"EB*F**AD***29***VS*{b.visits_left}",
            ]
        segments.append(f"SE*{len(segments) + 1}*{st}")
        body += segments
    return _interchange(
        body,
        functional_id="HB",
        version="005010X279A1",
        on=on,
        control=control,
        sender="MEDICAREB",
        sets=len(answers),
    )
