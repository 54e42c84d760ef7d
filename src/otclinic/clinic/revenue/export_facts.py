"""A stored claim as the 837P writer's facts: its lines, read in bulk, and on a claim to a
later payer the primary's adjudication from its latest remittance (2320/2330, 2430).

The parties (practice, subscriber, payer, clinicians) come from `export_parties`; an export
shares them between its claims so that each is one object.
"""

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from otclinic.clinic.revenue.export_parties import (
    RELATIONSHIPS,
    billing_provider,
    clinician,
    patient_facts,
    payer_facts,
    referring_provider,
    service_facility,
    subscriber,
    subscriber_name,
)
from otclinic.clinic.revenue.models import Claim, ClaimLine, RemittanceClaim, RemittanceService
from otclinic.domain.claims.x12 import p837

CLAIM_SELECT = (
    "organization",
    "patient",
    "coverage__payer",
    "episode__clinic",
    "rendering_provider__user",
    "referring_physician",
    "primary_claim__coverage__payer",
)


class LineRow(NamedTuple):
    """What the writer reads of a stored claim line, read without building model instances.

    `charge_id` is the charge's id as text, as the database writes it (a secondary claim's
    lines are matched to the primary's remittance by it, `_lines`): thousands of lines then
    hold no `UUID` objects, which the garbage collector would have to scan.
    """

    line_number: int
    charge_id: str | None
    code: str
    amount: Decimal
    units: int
    diagnosis_pointers: tuple[int, ...]
    date_of_service: dt.date
    modifiers: tuple[str, ...]


def line_rows(claim_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[LineRow]]:
    """The lines of many claims in line order, in one query per thousand claims.

    Pointers and modifiers are read as their JSON text and decoded once per distinct text: a
    clinic's lines carry a few dozen different lists, so thousands of lines share a few tuples.
    """
    found: dict[uuid.UUID, list[LineRow]] = defaultdict(list)
    columns = [
        "claim_id",
        *(
            Cast(name, output_field=TextField()) if name in _TEXT_COLUMNS else name
            for name in LineRow._fields
        ),
    ]
    for start in range(0, len(claim_ids), 1000):
        rows = (
            ClaimLine.objects.filter(claim_id__in=claim_ids[start : start + 1000])
            .order_by("claim_id", "line_number")
            .values_list(*columns)
        )
        for claim_id, number, charge_id, code, amount, units, pointers, day, modifiers in rows:
            found[claim_id].append(
                LineRow(
                    number,
                    charge_id,
                    code,
                    amount,
                    units,
                    _json_tuple(pointers),
                    day,
                    _json_tuple(modifiers),
                )
            )
    return found


_TEXT_COLUMNS = ("charge_id", "diagnosis_pointers", "modifiers")


@lru_cache(maxsize=1024)
def _json_tuple(text: str) -> tuple[Any, ...]:
    """A JSON list, stored as text, as a tuple (the same tuple for the same text)."""
    return tuple(json.loads(text))


def claim_facts(
    claim: Claim,
    *,
    lines: Sequence[LineRow] | None = None,
    shared: dict[tuple[Any, ...], Any] | None = None,
    remittances: dict[uuid.UUID | None, RemittanceClaim] | None = None,
) -> p837.Claim:
    """The writer's facts for one stored claim (a secondary claim carries the primary's
    adjudication from its latest remittance); `lines`: its lines, when already read. An export
    passes one `shared` dict for all its claims, so that the practice, payers, clinicians and
    patients many claims share are one object each (the writer checks each object once), and
    the primaries' latest remittances read at once (`primary_remittances`)."""
    memo: dict[tuple[Any, ...], Any] = {} if shared is None else shared
    coverage, patient = claim.coverage, claim.patient
    secondary = claim.primary_claim_id is not None
    responsibility = (
        p837.PayerResponsibility.SECONDARY if secondary else p837.PayerResponsibility.PRIMARY
    )
    remittance = None
    if secondary:
        remittance = (
            _primary_remittance(claim)
            if remittances is None
            else remittances.get(claim.primary_claim_id)
        )
    referring = claim.referring_physician
    discipline = claim.episode.discipline
    return p837.Claim(
        patient_control_number=claim.patient_control_number,
        billing_provider=_once(
            memo, ("org", claim.organization_id), lambda: billing_provider(claim.organization)
        ),
        subscriber=_once(
            memo,
            ("subscriber", coverage.pk, responsibility),
            lambda: subscriber(coverage, patient, responsibility),
        ),
        payer=_once(memo, ("payer", coverage.payer_id), lambda: payer_facts(coverage.payer)),
        patient=_once(memo, ("patient", coverage.pk), lambda: patient_facts(coverage, patient)),
        place_of_service=claim.place_of_service,
        diagnoses=tuple(claim.diagnosis_codes),
        rendering_provider=_once(
            memo,
            ("clinician", claim.rendering_provider_id, discipline),
            lambda: clinician(claim.rendering_provider, discipline=discipline),
        ),
        referring_provider=_once(
            memo, ("referring", claim.referring_physician_id), lambda: referring_provider(referring)
        ),
        service_facility=_once(
            memo,
            ("facility", claim.organization_id, claim.episode.clinic_id),
            lambda: service_facility(claim),
        ),
        frequency=p837.ClaimFrequency(claim.frequency),
        payer_claim_control_number=claim.payer_claim_number if claim.frequency != "1" else "",
        lines=_lines(claim, remittance, lines),
        other_payers=_other_payers(claim, remittance) if remittance else (),
    )


def _once(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], make: Any) -> Any:
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _remittances() -> QuerySet[RemittanceClaim]:
    return RemittanceClaim.objects.select_related("remittance").prefetch_related(
        "services__claim_line"
    )


def _primary_remittance(claim: Claim) -> RemittanceClaim | None:
    primary = claim.primary_claim
    assert primary is not None
    return _remittances().filter(claim=primary).order_by("-created_at").first()


def primary_remittances(claims: Sequence[Claim]) -> dict[uuid.UUID | None, RemittanceClaim]:
    """The latest remittance of each secondary claim's primary, by the primary's id, in three
    queries however many claims (none when no claim is a secondary)."""
    primaries = {claim.primary_claim_id for claim in claims if claim.primary_claim_id}
    latest: dict[uuid.UUID | None, RemittanceClaim] = {}
    if primaries:
        found = _remittances().filter(claim_id__in=primaries).order_by("claim_id", "-created_at")
        for remittance in found:
            latest.setdefault(remittance.claim_id, remittance)
    return latest


def _adjustments(raw: list[dict[str, Any]]) -> tuple[p837.Adjustment, ...]:
    return tuple(
        p837.Adjustment(
            group=p837.AdjustmentGroup(item["group"]),
            reason=str(item["reason"]),
            amount=Decimal(str(item["amount"])),
        )
        for item in raw
    )


def _adjudication_date(remittance: RemittanceClaim) -> dt.date:
    payment = remittance.remittance
    return payment.payment_date or timezone.localdate(payment.created_at)


def _lines(
    claim: Claim, remittance: RemittanceClaim | None, rows: Sequence[LineRow] | None
) -> tuple[p837.ServiceLine, ...]:
    """2400 lines; on a secondary claim each with the primary's 2430 for the same charge."""
    by_charge: dict[uuid.UUID | None, RemittanceService] = {}
    if remittance is not None:
        for remitted in remittance.services.all():
            if remitted.claim_line is not None and remitted.claim_line.charge_id is not None:
                by_charge[remitted.claim_line.charge_id] = remitted
    primary = claim.primary_claim if remittance else None
    payer_id = primary.coverage.payer.payer_id if primary is not None else ""
    lines = []
    for line in claim.lines.all() if rows is None else rows:
        service = by_charge.get(_charge(line)) if by_charge else None
        adjudications: tuple[p837.LineAdjudication, ...] = ()
        if service is not None and remittance is not None:
            adjudications = (
                p837.LineAdjudication(
                    payer_id=payer_id,
                    paid_amount=service.paid,
                    units=service.units,
                    adjudication_date=_adjudication_date(remittance),
                    adjustments=_adjustments(service.adjustments),
                ),
            )
        lines.append(
            p837.ServiceLine(
                procedure_code=line.code,
                charge=line.amount,
                units=line.units,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
                service_date=line.date_of_service,
                modifiers=tuple(line.modifiers),
                adjudications=adjudications,
            )
        )
    return tuple(lines)


def _charge(line: LineRow | ClaimLine) -> uuid.UUID | None:
    """A line's charge id as a `UUID` (a `LineRow` holds it as text)."""
    charge = line.charge_id
    return uuid.UUID(charge) if isinstance(charge, str) else charge


def _other_payers(claim: Claim, remittance: RemittanceClaim) -> tuple[p837.OtherPayer, ...]:
    primary = claim.primary_claim
    assert primary is not None
    coverage = primary.coverage
    has_lines = bool(remittance.services.all())
    return (
        p837.OtherPayer(
            payer=payer_facts(coverage.payer),
            subscriber_name=subscriber_name(coverage, claim.patient),
            member_id=coverage.member_id,
            responsibility=p837.PayerResponsibility.PRIMARY,
            filing_indicator=p837.ClaimFilingIndicator(coverage.payer.claim_filing_indicator),
            paid_amount=remittance.paid,
            relationship=RELATIONSHIPS[coverage.subscriber_relationship],
            group_number=coverage.group_number,
            claim_adjustments=_adjustments(remittance.adjustments),
            adjudication_date=None if has_lines else _adjudication_date(remittance),
        ),
    )
