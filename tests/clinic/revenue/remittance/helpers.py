"""Claims to post remittances onto, built directly (no claim services needed), and 835 files."""

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from otclinic.clinic.revenue.models import Claim, ClaimLine, ClaimStatus, LedgerEntry
from tests.clinic import factories as f
from tests.domain.claims.era.samples import SAMPLES

REPO = Path(__file__).resolve().parents[4]
SAMPLES_835 = SAMPLES / "835"
_numbers = itertools.count(1)


def make_claim(
    *,
    organization: Any,
    control_number: str | None = None,
    lines: list[tuple[str, str, dt.date]] | None = None,
    coverage: Any = None,
    primary_claim: Claim | None = None,
    episode: Any = None,
) -> Claim:
    """A submitted claim of `organization` with lines (code, amount, date of service)."""
    lines = lines or [("97530", "150.00", dt.date(2026, 3, 12))]
    coverage = coverage or f.CoverageFactory(patient__organization=organization)
    episode = episode or f.EpisodeFactory(patient=coverage.patient)
    dates = [d for _, _, d in lines]
    claim = Claim.objects.create(
        organization=organization,
        patient=coverage.patient,
        coverage=coverage,
        episode=episode,
        patient_control_number=control_number or f"OT{next(_numbers):08d}",
        status=ClaimStatus.SUBMITTED,
        rendering_provider=episode.therapist,
        diagnosis_codes=["M62.81"],
        total_charge=sum((Decimal(a) for _, a, _ in lines), Decimal("0.00")),
        first_service_on=min(dates),
        last_service_on=max(dates),
        primary_claim=primary_claim,
    )
    for number, (code, amount, on) in enumerate(lines, start=1):
        ClaimLine.objects.create(
            organization=organization,
            claim=claim,
            line_number=number,
            date_of_service=on,
            code=code,
            units=1,
            amount=Decimal(amount),
            diagnosis_pointers=[1],
        )
    return claim


def ledger_sum(**filters: Any) -> Decimal:
    return sum((e.amount for e in LedgerEntry.objects.filter(**filters)), Decimal("0.00"))


def era(
    claims: list[str],
    *,
    control: str = "0001",
    payment: str | None = None,
    payer: str = "ACME HEALTH",
) -> str:
    """One ISA/GS/ST 835 holding the CLP loops in `claims` (segments joined with ~)."""
    body = "~".join(claims)
    total = payment or "0.00"
    segments = [
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *260320*1200*^*00501*000000001*0*P*:",
        "GS*HP*PAYER*CLINIC*20260320*1200*1*X*005010X221A1",
        f"ST*835*{control}",
        f"BPR*I*{total}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20260320",
        f"TRN*1*TRACE{control}*1512345678",
        "DTM*405*20260320",
        f"N1*PR*{payer}",
        "N3*1 PAYER WAY",
        "N4*CITY*ST*12345",
        "PER*BL*EDI*TE*5555550100",
        "N1*PE*THERAPY CLINIC*XX*1234567893",
        "LX*1",
        body,
    ]
    # ST..LX, then the body's own segments, then SE itself.
    count = (len(segments) - 3) + (body.count("~") + 1) + 1
    segments.append(f"SE*{count}*{control}")
    segments += ["GE*1*1", "IEA*1*000000001"]
    return "~".join(segments) + "~"
