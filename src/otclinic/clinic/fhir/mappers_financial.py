"""Claim (from otclinic's claims) and ExplanationOfBenefit (from posted 835 claim payments).

Money is a `Decimal` throughout, written exactly by `domain.fhir.money_json`; the element
choices and code systems are in `domain.fhir.financial` (CARIN Blue Button where it fits).
"""

from decimal import Decimal
from typing import Any

from otclinic.clinic.fhir.shapes import Ctx, base, coding, concept, day, instant, prune, ref
from otclinic.clinic.revenue.models import Claim, ClaimLine, RemittanceClaim, RemittanceService
from otclinic.domain.fhir import financial as fin
from otclinic.domain.fhir import terminology as t


def money(value: Decimal) -> dict[str, Any]:
    return {"value": value, "currency": fin.CURRENCY}


def claim_identifier(row: Claim) -> dict[str, Any]:
    """The patient control number (837P CLM01), which the payer's 835 CLP01 returns."""
    return {
        "type": concept(fin.C4BB_IDENTIFIER_TYPE, "uc", "Unique Claim ID"),
        "system": f"urn:otclinic:organization:{row.organization_id}:claim",
        "value": row.patient_control_number,
    }


def _service(code: str, modifiers: list[str]) -> dict[str, Any]:
    return {
        "productOrService": concept(fin.procedure_system(code), code),
        "modifier": [concept(fin.modifier_system(m), m) for m in modifiers],
    }


def _claim_item(line: ClaimLine, place_of_service: str) -> dict[str, Any]:
    return prune(
        {
            "sequence": line.line_number,
            "diagnosisSequence": list(line.diagnosis_pointers),
            **_service(line.code, list(line.modifiers)),
            "servicedDate": day(line.date_of_service),
            "locationCodeableConcept": concept(fin.PLACE_OF_SERVICE, place_of_service),
            "quantity": {"value": line.units},
            "net": money(line.amount),
        }
    )


def claim(row: Claim, ctx: Ctx) -> dict[str, Any]:
    """A professional claim to the coverage's payer: its diagnoses in pointer order, its lines
    with CPT/HCPCS codes, modifiers, units and charges, and the total charge."""
    related = []
    if row.original_id is not None:
        related.append(
            {
                "claim": ref("Claim", row.original_id),
                "relationship": concept(fin.RELATED_CLAIM, "prior"),
            }
        )
    return prune(
        {
            **base("Claim", row),
            "identifier": [claim_identifier(row)],
            "status": fin.CLAIM_STATUS[row.status],
            "type": concept(fin.CLAIM_TYPE, "professional", "Professional"),
            "use": "claim",
            "patient": ref("Patient", row.patient_id),
            "billablePeriod": {
                "start": day(row.first_service_on),
                "end": day(row.last_service_on),
            },
            "created": instant(row.created_at),
            "insurer": ref("Organization", row.coverage.payer_id),
            "provider": ref("Practitioner", row.rendering_provider_id),
            "priority": concept(fin.PROCESS_PRIORITY, "normal"),
            "related": related,
            "diagnosis": [
                {"sequence": n, "diagnosisCodeableConcept": concept(t.ICD10CM, code)}
                for n, code in enumerate(row.diagnosis_codes, start=1)
            ],
            "insurance": [
                {"sequence": 1, "focal": True, "coverage": ref("Coverage", row.coverage_id)}
            ],
            "item": [_claim_item(line, row.place_of_service) for line in row.lines.all()],
            "total": money(row.total_charge),
        }
    )


def _amounts(charge: Decimal, paid: Decimal) -> list[dict[str, Any]]:
    return [
        {"category": concept(fin.ADJUDICATION, "submitted"), "amount": money(charge)},
        {"category": concept(fin.ADJUDICATION, "benefit"), "amount": money(paid)},
    ]


def _adjustments(adjustments: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One `adjustmentreason` per CAS: the CARC (and the group code) as reason."""
    return [
        {
            "category": concept(fin.C4BB_DISCRIMINATOR, "adjustmentreason"),
            "reason": {
                "coding": [coding(fin.CARC, cas["reason"]), coding(fin.CAS_GROUP, cas["group"])],
                "text": f"{cas['group']}-{cas['reason']}",
            },
            "amount": money(Decimal(cas["amount"])),
        }
        for cas in adjustments
    ]


def _remarks(remarks: list[str]) -> list[dict[str, Any]]:
    return [
        {"category": concept(fin.LOCAL_ADJUDICATION, "remark"), "reason": concept(fin.RARC, r)}
        for r in remarks
    ]


def _eob_item(number: int, service: RemittanceService) -> dict[str, Any]:
    line = service.claim_line
    return prune(
        {
            "sequence": number,
            **_service(service.procedure, list(service.modifiers)),
            "servicedDate": day(service.date_of_service) if service.date_of_service else None,
            "quantity": {"value": service.units},
            "net": money(service.charge),
            "adjudication": [
                *_amounts(service.charge, service.paid),
                *_adjustments(service.adjustments),
                *_remarks(list(service.remarks)),
            ],
            "diagnosisSequence": list(line.diagnosis_pointers) if line is not None else [],
        }
    )


def explanation_of_benefit(row: RemittanceClaim, ctx: Ctx) -> dict[str, Any]:
    """One claim payment of a posted 835 (CLP and its SVC loops): the payer's adjudication per
    service line with its CARC/RARC adjustments, the claim-level adjustments, and the payment."""
    claim_row: Claim = row.claim  # type: ignore[assignment]  # the source holds posted rows only
    remittance = row.remittance
    identifiers = [claim_identifier(claim_row)]
    if row.payer_claim_number:
        identifiers.append(
            {
                "system": f"urn:otclinic:payer:{claim_row.coverage.payer_id}:claim",
                "value": row.payer_claim_number,
            }
        )
    services = sorted(row.services.all(), key=lambda s: (s.created_at, s.pk))
    return prune(
        {
            **base("ExplanationOfBenefit", row),
            "identifier": identifiers,
            "status": "active",
            "type": concept(fin.CLAIM_TYPE, "professional", "Professional"),
            "use": "claim",
            "patient": ref("Patient", claim_row.patient_id),
            "billablePeriod": {
                "start": day(claim_row.first_service_on),
                "end": day(claim_row.last_service_on),
            },
            "created": instant(row.created_at),
            "insurer": ref("Organization", claim_row.coverage.payer_id, remittance.payer_name),
            "provider": ref("Practitioner", claim_row.rendering_provider_id),
            "claim": ref("Claim", claim_row.pk),
            "outcome": "complete",
            "disposition": row.status_words,
            "insurance": [{"focal": True, "coverage": ref("Coverage", claim_row.coverage_id)}],
            "item": [_eob_item(n, s) for n, s in enumerate(services, start=1)],
            "adjudication": _adjustments(row.adjustments),
            "total": _amounts(row.charge, row.paid),
            "payment": prune(
                {
                    "type": concept(fin.PAYMENT_TYPE, "complete"),
                    "date": day(remittance.payment_date) if remittance.payment_date else None,
                    "amount": money(row.paid),
                    "identifier": (
                        {"value": remittance.trace_number} if remittance.trace_number else None
                    ),
                }
            ),
        }
    )
