"""A revenue cycle for the demo clinic, written in bulk: what the billing pages list.

The demo seed writes no charges, claims or remittances, and billing a large clinic through the
services takes far longer than a test or a benchmark should wait. This writes the rows the
billing pages read, in the shapes the services write them, from the signed notes: a charge per
note line, one claim per episode and week, the ledger's charge entries, and for claims at least
three weeks old a remittance per payer and week that pays most claims (payer payment, CO 45
contractual adjustment, patient responsibility moved to the patient, often paid) and denies
some lines (open denials with their CARC and RARCs). Nothing here runs the billing engine: the
figures are plausible, not adjudicated. Deterministic for a given clinic; a second run adds
nothing.

Used by the page query-count tests (test_page_queries.py) and the page benchmark
(bench/pages.py).
"""

import datetime as dt
import hashlib
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import NoteLine, NoteStatus, TreatmentNote
from otclinic.clinic.revenue import models as r
from otclinic.domain.codes import Role

CENT = Decimal("0.01")
# (group, CARC, RARCs, weight): the denials a therapy clinic sees most.
DENIAL_REASONS = (
    ("CO", "50", ("N115",), 3),
    ("CO", "97", (), 2),
    ("CO", "16", ("M77",), 2),
    ("CO", "151", ("N362",), 1),
    ("PR", "119", ("N130",), 1),
    ("CO", "4", (), 1),
)
ORDER = (r.Charge, r.Claim, r.ClaimLine, r.Remittance, r.RemittanceClaim, r.LedgerEntry, r.Denial)


def _id(*parts: object) -> uuid.UUID:
    return uuid.UUID(bytes=hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:16])


@dataclass
class _Rows:
    """The rows gathered in memory, by model, written at the end in one transaction."""

    organization: Any
    today: dt.date
    rng: random.Random
    fees: dict[tuple[Any, int, str], Decimal]
    biller: Any
    by_model: dict[type[Model], list[Any]] = field(default_factory=lambda: defaultdict(list))
    remittances: dict[tuple[Any, dt.date], Any] = field(default_factory=dict)

    def add(self, row: Any) -> Any:
        self.by_model[type(row)].append(row)
        return row

    def entry(self, claim: Any, line: Any, kind: str, amount: Decimal, **kw: Any) -> None:
        n = len(self.by_model[r.LedgerEntry])
        values = {"posted_on": line.date_of_service, "responsibility": "payer"} | kw
        self.add(
            r.LedgerEntry(
                id=_id("ledger", self.organization.pk, n),
                organization=self.organization,
                patient_id=claim.patient_id,
                claim=claim,
                claim_line=line,
                kind=kind,
                amount=amount,
                **values,
            )
        )


def add_revenue(*, organization: Any, today: dt.date) -> dict[str, int]:
    """Charges, claims, ledger, remittances and denials for every signed note of
    `organization` whose episode has a payer; nothing when it already has claims. Returns the
    rows written, by model."""
    if r.Claim.objects.filter(organization=organization).exists():
        return {}
    rows = _Rows(
        organization=organization,
        today=today,
        rng=random.Random(organization.pk.int),
        fees=_fees(organization),
        biller=User.objects.filter(organization=organization, role=Role.BILLER)
        .order_by("username")
        .first(),
    )
    weeks = _charges(rows)
    for number, ((_, week), charges) in enumerate(sorted(weeks.items(), key=lambda kv: kv[0][1])):
        _claim(rows, number, week, charges)
    with transaction.atomic():
        # The ledger's manager keeps the claims', patients' and days' balances as it writes.
        for model in ORDER:
            model.objects.bulk_create(rows.by_model[model], batch_size=5000)
        charged = sorted({charge.note_id for charge in rows.by_model[r.Charge]})
        for start in range(0, len(charged), 5000):
            TreatmentNote.objects.filter(pk__in=charged[start : start + 5000]).update(charged=True)
    return {model._meta.label: len(rows.by_model[model]) for model in ORDER}


def _fees(organization: Any) -> dict[tuple[Any, int, str], Decimal]:
    entries = r.FeeScheduleEntry.objects.filter(organization=organization)
    return {
        (e.schedule.payer_id, e.schedule.year, e.code): e.charge_amount
        for e in entries.select_related("schedule")
    }


def _charges(rows: _Rows) -> dict[tuple[Any, dt.date], list[tuple[Any, Any]]]:
    """A charge per line of every billable note, grouped by episode and week."""
    notes = (
        TreatmentNote.objects.filter(
            organization=rows.organization,
            status__in=(NoteStatus.SIGNED, NoteStatus.COSIGNED),
            not_billable=False,
            episode__coverage__isnull=False,
        )
        .select_related("episode__coverage__payer", "episode__therapist", "episode__clinic")
        .order_by("date_of_service", "pk")
    )
    lines_of: dict[Any, list[Any]] = defaultdict(list)
    for line in NoteLine.objects.filter(organization=rows.organization).order_by(
        "note_id", "position"
    ):
        lines_of[line.note_id].append(line)
    weeks: dict[tuple[Any, dt.date], list[tuple[Any, Any]]] = defaultdict(list)
    for note in notes:
        week = note.date_of_service - dt.timedelta(days=note.date_of_service.weekday())
        for line in lines_of.get(note.pk, []):
            weeks[(note.episode_id, week)].append((note, rows.add(_charge(rows, note, line))))
    return weeks


def _charge(rows: _Rows, note: Any, line: Any) -> Any:
    minutes = line.therapist_minutes + line.assistant_minutes + line.together_minutes
    units = max(1, (minutes + 7) // 15)
    year, payer_id = note.date_of_service.year, note.episode.coverage.payer_id
    per_unit = rows.fees.get((payer_id, year, line.code)) or rows.fees.get(
        (None, year, line.code), Decimal("95.00")
    )
    return r.Charge(
        id=_id("charge", line.pk),
        organization=rows.organization,
        note=note,
        patient_id=note.episode.patient_id,
        date_of_service=note.date_of_service,
        code=line.code,
        modifiers=["GO"] + (["CO"] if line.assistant_minutes > 10 else []),
        units=units,
        amount=(per_unit * units).quantize(CENT),
        expected_allowed=(per_unit * units * Decimal("0.7")).quantize(CENT),
        status=r.ChargeStatus.BILLED,
    )


def _claim(rows: _Rows, number: int, week: dt.date, charges: list[tuple[Any, Any]]) -> None:
    episode = charges[0][0].episode
    claim = rows.add(
        r.Claim(
            id=_id("claim", episode.pk, week),
            organization=rows.organization,
            patient_id=episode.patient_id,
            coverage=episode.coverage,
            episode=episode,
            patient_control_number=f"B{week:%y%m%d}{number:07d}",
            status=_status((rows.today - week).days, rows.rng),
            rendering_provider=episode.therapist,
            place_of_service=episode.clinic.place_of_service,
            diagnosis_codes=[],
            total_charge=sum((c.amount for _, c in charges), Decimal("0.00")),
            first_service_on=min(c.date_of_service for _, c in charges),
            last_service_on=max(c.date_of_service for _, c in charges),
        )
    )
    if claim.status not in (r.ClaimStatus.DRAFT, r.ClaimStatus.READY):
        sent = week + dt.timedelta(days=7)
        claim.submitted_at = dt.datetime.combine(sent, dt.time(18), tzinfo=dt.UTC)
        claim.first_submitted_on = sent
    lines = []
    for n, (_, charge) in enumerate(charges, start=1):
        line = rows.add(
            r.ClaimLine(
                id=_id("claimline", charge.pk),
                organization=rows.organization,
                claim=claim,
                charge=charge,
                line_number=n,
                date_of_service=charge.date_of_service,
                code=charge.code,
                modifiers=charge.modifiers,
                units=charge.units,
                amount=charge.amount,
                diagnosis_pointers=[],
            )
        )
        rows.entry(claim, line, r.LedgerKind.CHARGE, line.amount)
        lines.append(line)
    if claim.status in (r.ClaimStatus.PAID, r.ClaimStatus.DENIED):
        _remit(rows, claim, lines, paid_on=week + dt.timedelta(days=21))


def _remit(rows: _Rows, claim: Any, lines: list[Any], *, paid_on: dt.date) -> None:
    """The payer's answer: a denial for some lines of a denied claim, payment for the rest."""
    remittance = _remittance(rows, claim.coverage.payer, paid_on)
    answer = rows.add(
        r.RemittanceClaim(
            id=_id("rc", claim.pk),
            organization=rows.organization,
            remittance=remittance,
            claim=claim,
            patient_control_number=claim.patient_control_number,
            status_code="1" if claim.status == r.ClaimStatus.PAID else "4",
            charge=claim.total_charge,
            paid=Decimal("0.00"),
        )
    )
    for line in lines:
        denied = claim.status == r.ClaimStatus.DENIED and (
            line.line_number == 1 or rows.rng.random() < 0.5
        )
        if denied:
            _deny(rows, claim, line, answer)
            continue
        allowed = (line.amount * Decimal("0.7")).quantize(CENT)
        patient_part = (allowed * Decimal("0.2")).quantize(CENT)
        paid = allowed - patient_part
        answer.paid += paid
        remittance.payment_amount += paid
        posted = {"posted_on": paid_on, "remittance": remittance}
        rows.entry(claim, line, r.LedgerKind.PAYER_PAYMENT, -paid, **posted)
        adjustment = {"group_code": "CO", "reason_code": "45"}
        rows.entry(
            claim, line, r.LedgerKind.ADJUSTMENT, -(line.amount - allowed), **posted, **adjustment
        )
        moved = {"group_code": "PR", "reason_code": "2"}
        rows.entry(claim, line, r.LedgerKind.TRANSFER, -patient_part, **posted, **moved)
        rows.entry(
            claim,
            line,
            r.LedgerKind.TRANSFER,
            patient_part,
            responsibility="patient",
            **posted,
            **moved,
        )
        if rows.rng.random() < 0.6:
            later = paid_on + dt.timedelta(days=14)
            rows.entry(
                claim,
                line,
                r.LedgerKind.PATIENT_PAYMENT,
                -patient_part,
                responsibility="patient",
                posted_on=later,
            )


def _remittance(rows: _Rows, payer: Any, paid_on: dt.date) -> Any:
    """One payment per payer and week."""
    key = (payer.pk, paid_on)
    if key not in rows.remittances:
        rows.remittances[key] = rows.add(
            r.Remittance(
                id=_id("remittance", rows.organization.pk, *key),
                organization=rows.organization,
                file_sha256=hashlib.sha256(repr(key).encode()).hexdigest(),
                payer_name=payer.name,
                payer_identifier=payer.payer_id,
                payer_key=payer.payer_id,
                payment_amount=Decimal("0.00"),
                payment_method="ACH",
                payment_date=paid_on,
                trace_number=f"{paid_on:%Y%m%d}{len(rows.remittances):05d}",
                imported_by=rows.biller,
            )
        )
    return rows.remittances[key]


def _deny(rows: _Rows, claim: Any, line: Any, answer: Any) -> None:
    weights = [weight for *_, weight in DENIAL_REASONS]
    group, carc, rarcs, _ = rows.rng.choices(DENIAL_REASONS, weights=weights)[0]
    rows.add(
        r.Denial(
            id=_id("denial", line.pk),
            organization=rows.organization,
            claim=claim,
            claim_line=line,
            remittance_claim=answer,
            payer_id=claim.coverage.payer_id,
            group_code=group,
            reason_code=carc,
            remark_codes=list(rarcs),
            amount=line.amount,
        )
    )


def _status(age_days: int, rng: random.Random) -> str:
    """Where a claim of that age would be: drafts this week, payers' answers after three."""
    if age_days < 7:
        return r.ClaimStatus.DRAFT
    if age_days < 14:
        return rng.choice((r.ClaimStatus.READY, r.ClaimStatus.SUBMITTED))
    if age_days < 21:
        return rng.choice((r.ClaimStatus.SUBMITTED, r.ClaimStatus.ACCEPTED))
    statuses = (r.ClaimStatus.PAID, r.ClaimStatus.DENIED, r.ClaimStatus.ACCEPTED)
    return rng.choices(statuses, weights=(80, 12, 8))[0]
