"""A read 277CA claim acknowledgment or 277 claim status response as a JSON document: codes as
{"code", "words"}, money as strings, each claim's statuses with what they point to.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from otclinic.domain.claims.x12.status277 import (
    ClaimStatus,
    ClaimStatusReport,
    Party,
    Status,
    StatusTransaction,
)


def status_report_as_json(report: ClaimStatusReport) -> dict[str, Any]:
    """The 277CA or 277 as a JSON document: codes as {"code", "words"}, money as strings."""
    return {
        "type": report.kind,
        "transactions": [_transaction_json(t, report.kind) for t in report.transactions],
    }


def _transaction_json(transaction: StatusTransaction, kind: str) -> dict[str, Any]:
    return {
        "control_number": transaction.control_number,
        "reference": transaction.reference,
        "created": _iso(transaction.created),
        "levels": [
            {
                "level": level.level,
                "party": _party_json(level.party),
                "trace_number": level.trace_number,
                "statuses": [_status_json(s) for s in level.statuses],
            }
            for level in transaction.levels
        ],
        "claims": [_claim_json(claim, kind) for claim in transaction.claims],
    }


def _claim_json(claim: ClaimStatus, kind: str) -> dict[str, Any]:
    document: dict[str, Any] = {"claim_number": claim.claim_number}
    if kind == "277CA":
        document["outcome"] = (
            "rejected" if claim.rejected else "accepted" if claim.accepted else None
        )
    return document | {
        "payer_claim_number": claim.payer_claim_number,
        "clearinghouse_trace": claim.clearinghouse_trace,
        "references": [{"qualifier": q, "value": v} for q, v in claim.references],
        "subscriber": _party_json(claim.subscriber),
        "patient": _party_json(claim.patient),
        "provider": _party_json(claim.provider),
        "statuses": [_status_json(status) for status in claim.statuses],
        "service_from": _iso(claim.service_from),
        "service_to": _iso(claim.service_to),
        "services": [
            {
                "procedure": service.procedure,
                "charge": _money(service.charge),
                "paid": _money(service.paid),
                "units": None if service.units is None else str(service.units),
                "service_from": _iso(service.service_from),
                "service_to": _iso(service.service_to),
                "line_control_number": service.line_control_number,
                "statuses": [_status_json(status) for status in service.statuses],
            }
            for service in claim.services
        ],
    }


def _status_json(status: Status) -> dict[str, Any]:
    return {
        "codes": [
            {
                "category": code.category.as_json(),
                "status": code.status.as_json() if code.status else None,
                "entity": code.entity.as_json() if code.entity else None,
                "code_list": code.code_list,
                "in_words": code.in_words(),
            }
            for code in status.codes
        ],
        "effective": _iso(status.effective),
        "action": status.action,
        "charge": _money(status.charge),
        "paid": _money(status.paid),
        "payment_date": _iso(status.payment_date),
        "check_number": status.check_number,
        "message": status.message,
    }


def _party_json(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    return {"entity": party.entity.as_json(), "name": party.name, "identifier": party.identifier}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
