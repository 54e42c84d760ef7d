"""A month of revenue cycle for the scale-1 demo clinic, written through the real services.

The demo biller creates the charges of the notes signed in the month that ended a week ago
(the last week's notes are left for the billing pages' "work to do"), assembles and scrubs the
claims, marks the clean ones ready and exports them (one 837P per payer). The payers answer
the claims whose first visit falls in the first half of the month with an 835 each (written here,
as a payer would): every line paid at the fee schedule's expected allowed amount, with a CO-45
contractual adjustment and, for Medicare Part B, PR-2 coinsurance of 20%; Medicare denies the
last line of its first claim as not medically necessary (CO-50), which waits in the denials
queue. The 835s are posted by the ERA import; then a few patients pay their share at the desk.

The larger scales are seeded in bulk and bill nothing here: bench/pages.py adds its own bulk
revenue cycle (tests/clinic/pages/revenue_cycle.py), which skips an organization that has claims.
Everything is derived from the seeded notes and the day, so the same seed writes the same cycle.
"""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from otclinic.clinic.accounts.models import User
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue import claims as claim_services
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.export import claims_export
from otclinic.clinic.revenue.models import Claim, ClaimLine, FeeScheduleEntry
from otclinic.clinic.revenue.patient_payments import owed_services, patient_payment_take
from otclinic.clinic.revenue.posting import era_import
from otclinic.clinic.revenue.scrubber import claims_scrub
from otclinic.domain.codes import Role

MONTH_DAYS = 28
LEFT_TO_BILL_DAYS = 7  # the last week's notes wait on the claims page
COINSURANCE = Decimal("0.20")  # Medicare Part B's 20% of the allowed amount
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Claims in an order that follows from the notes alone (their ids and numbers are random).
ORDER = ("first_service_on", "patient__mrn", "last_service_on", "total_charge")
DESK_PAYMENTS = 3  # patients who pay their share at the desk
# A fixed namespace: the desk payments' request tokens follow from the patients, so a seed
# repeated from the same notes writes the same rows.
TOKENS = uuid.UUID("6f1d3c52-3a5e-4c1e-9a57-2d0b9f7f3e10")


@dataclass
class RevenueSeeded:
    charged_notes: int = 0
    claims: int = 0
    exported: int = 0
    remittances: int = 0
    desk_payments: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def add_revenue_cycle(*, organization_id: Any, today: dt.date) -> RevenueSeeded:
    """Bill the month that ended a week ago, post the payers' answers to its first half and take
    a few patients' payments, as the demo biller."""
    biller = (
        User.objects.filter(organization_id=organization_id, role=Role.BILLER)
        .order_by("username")
        .first()
    )
    done = RevenueSeeded()
    if biller is None:
        return done
    last = today - dt.timedelta(days=LEFT_TO_BILL_DAYS)
    first = last - dt.timedelta(days=MONTH_DAYS - 1)
    # Notes the demo wrote with deliberate billing errors are left aside, with their reasons.
    run = charges_create_for_signed_notes(user=biller, served_between=(first, last))
    done.charged_notes = run.notes_billed
    done.claims = len(claim_assembly.claims_assemble(user=biller))
    for claim in claims_scrub(user=biller).clean:
        claim_services.claim_mark_ready(claim=claim, user=biller)
    batches = claims_export(user=biller, now=_at_noon(today - dt.timedelta(days=5)))
    done.exported = sum(batch.claims.count() for batch in batches)
    answered_until = first + dt.timedelta(days=MONTH_DAYS // 2)
    for control, batch in enumerate(batches, start=1):
        claims = list(batch.claims.filter(first_service_on__lte=answered_until).order_by(*ORDER))
        if claims:
            text = _remittance(biller, batch.payer, claims, paid_on=today - dt.timedelta(days=2))
            era_import(user=biller, raw=text.encode("ascii"), filename=f"demo-{control}.835")
            done.remittances += 1
    done.desk_payments = _desk_payments(biller, today)
    return done


def _at_noon(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def _desk_payments(biller: Any, today: dt.date) -> int:
    """The first patients (by MRN) with a share due pay it at the desk by card."""
    owing = (
        Patient.objects.filter(
            organization_id=biller.organization_id, ledger__responsibility="patient"
        )
        .distinct()
        .order_by("mrn")
    )
    paid = 0
    for patient in owing:
        due = sum((o.due for o in owed_services(patient=patient)), ZERO)
        if due <= ZERO:
            continue
        patient_payment_take(
            user=biller,
            patient=patient,
            amount=due,
            method="card",
            reference=f"DEMO{paid + 1:04d}",
            received_on=today - dt.timedelta(days=1),
            request_token=uuid.uuid5(TOKENS, str(patient.pk)),
        )
        paid += 1
        if paid == DESK_PAYMENTS:
            break
    return paid


def _allowed_per_unit(organization_id: Any) -> dict[tuple[Any, int, str], Decimal | None]:
    entries = FeeScheduleEntry.objects.filter(organization_id=organization_id).select_related(
        "schedule"
    )
    return {(e.schedule.payer_id, e.schedule.year, e.code): e.expected_allowed for e in entries}


def _allowed(
    fees: dict[tuple[Any, int, str], Decimal | None], payer_id: Any, line: ClaimLine
) -> Decimal:
    year, code = line.date_of_service.year, line.code
    per_unit = fees.get((payer_id, year, code), fees.get((None, year, code)))
    if per_unit is None:
        return line.amount  # no expected amount known: the payer allows the charge
    return min(line.amount, (per_unit * line.units).quantize(CENT))


def _money(amount: Decimal) -> str:
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _line_segments(
    line: ClaimLine, *, allowed: Decimal, coinsurance: bool, denied: bool
) -> tuple[list[str], Decimal, Decimal]:
    """SVC, DTM and CAS of one line; what was paid and the patient's share."""
    composite = ":".join(["HC", line.code, *line.modifiers])
    if denied:
        paid, share, adjustments = ZERO, ZERO, [("CO", "50", line.amount)]
    else:
        share = (allowed * COINSURANCE).quantize(CENT) if coinsurance else ZERO
        paid = allowed - share
        adjustments = [("CO", "45", line.amount - allowed), ("PR", "2", share)]
    segments = [
        f"SVC*{composite}*{_money(line.amount)}*{_money(paid)}**{line.units}",
        f"DTM*472*{line.date_of_service:%Y%m%d}",
        *(f"CAS*{g}*{r}*{_money(a)}" for g, r, a in adjustments if a > ZERO),
    ]
    if not denied:
        segments.append(f"AMT*B6*{_money(allowed)}")
    return segments, paid, share


def _remittance(biller: Any, payer: Any, claims: list[Claim], *, paid_on: dt.date) -> str:
    """The payer's 835 (005010X221A1) for `claims`, balanced as the guide requires."""
    fees = _allowed_per_unit(biller.organization_id)
    medicare = payer.plan_kind == "medicare_part_b"
    lines: dict[Any, list[ClaimLine]] = defaultdict(list)
    for line in ClaimLine.objects.filter(claim__in=claims).order_by("claim_id", "line_number"):
        lines[line.claim_id].append(line)
    body, total = [], ZERO
    for number, claim in enumerate(claims):
        segments, paid, share = [], ZERO, ZERO
        for line in lines[claim.pk]:
            denied = medicare and number == 0 and line is lines[claim.pk][-1]
            allowed = _allowed(fees, payer.pk, line)
            more, line_paid, line_share = _line_segments(
                line, allowed=allowed, coinsurance=medicare, denied=denied
            )
            segments += more
            paid, share = paid + line_paid, share + line_share
        charge = sum((line.amount for line in lines[claim.pk]), ZERO)
        body += [
            f"CLP*{claim.patient_control_number}*1*{_money(charge)}*{_money(paid)}"
            f"*{_money(share)}*{claim.coverage.payer.claim_filing_indicator or 'CI'}"
            f"*{uuid.uuid5(TOKENS, claim.patient_control_number).hex[:14].upper()}*11*1",
            f"NM1*QC*1*{_x12(claim.patient.last_name)}*{_x12(claim.patient.first_name)}"
            f"****MI*{claim.coverage.member_id}",
            f"DTM*050*{paid_on:%Y%m%d}",
            *segments,
        ]
        total += paid
    return _envelope(biller.organization, payer, body, total=total, paid_on=paid_on)


def _x12(text: str) -> str:
    return "".join(c for c in text.upper() if c.isascii() and c not in "*~:^")[:35]


def _envelope(org: Any, payer: Any, claims: list[str], *, total: Decimal, paid_on: dt.date) -> str:
    day = f"{paid_on:%Y%m%d}"
    control = int(uuid.uuid5(TOKENS, f"{payer.pk}{day}").int % 900_000_000) + 1
    body = [
        "ST*835*0001",
        f"BPR*I*{_money(total)}*C*ACH*CCP*01*011000015*DA*123456789*1512345678**01*"
        f"021000021*DA*987654321*{day}",
        f"TRN*1*EFT{control:09d}*1512345678",
        f"DTM*405*{day}",
        f"N1*PR*{_x12(payer.name)}",
        "N3*PO BOX 100",
        "N4*COLUMBUS*OH*43215",
        "PER*BL*EDI SUPPORT*TE*8005550100",
        f"N1*PE*{_x12(org.name)}*XX*{org.npi}",
        "LX*1",
        *claims,
    ]
    body.append(f"SE*{len(body) + 1}*0001")
    isa = (
        "ISA*00*          *00*          *ZZ*{:<15}*ZZ*{:<15}*{:%y%m%d}*1200*^*00501*{:09d}*0*P*:"
    ).format("PAYER", "OTCLINIC", paid_on, control)
    envelope = [
        isa,
        f"GS*HP*PAYER*OTCLINIC*{day}*1200*{control}*X*005010X221A1",
        *body,
        "GE*1*" + str(control),
        f"IEA*1*{control:09d}",
    ]
    return "~\n".join(envelope) + "~\n"
