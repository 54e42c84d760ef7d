"""A read 271 eligibility response as a JSON document: codes as {"code", "words"}, money as
strings, and each member's `therapy` summary.
"""

from decimal import Decimal
from typing import Any

from otclinic.domain.claims.x12.code_lists import Coded
from otclinic.domain.claims.x12.eligibility271 import EligibilityResponse, Member, Rejection
from otclinic.domain.claims.x12.eligibility271_benefits import (
    Benefit,
    Dates,
)


def eligibility_as_json(response: EligibilityResponse) -> dict[str, Any]:
    """The 271 as a JSON document: codes as {"code", "words"}, money as strings."""
    return {
        "type": "271",
        "transactions": [
            {
                "control_number": t.control_number,
                "payer": {"name": t.payer, "id": t.payer_id},
                "provider": {"name": t.provider, "id": t.provider_id},
                "rejections": [_rejection_json(r) for r in t.rejections],
                "members": [_member_json(member) for member in t.members],
            }
            for t in response.transactions
        ],
    }


def _member_json(member: Member) -> dict[str, Any]:
    therapy = member.therapy
    return {
        "level": member.level,
        "name": member.name,
        "member_id": member.member_id,
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
        "trace_numbers": list(member.trace_numbers),
        "dates": _dates_json(member.dates),
        "active": therapy.active,
        "plan": therapy.plan,
        "rejections": [_rejection_json(r) for r in member.rejections],
        "therapy": {
            "copay": _text(therapy.copay),
            "coinsurance": _text(therapy.coinsurance),
            "deductible": _text(therapy.deductible),
            "deductible_remaining": _text(therapy.deductible_remaining),
            "visits_limit": _text(therapy.visits_limit),
            "visits_used": _text(therapy.visits_used),
            "visits_remaining": _text(therapy.visits_remaining),
            "therapy_amounts": list(therapy.therapy_amounts),
            "therapy_messages": list(therapy.therapy_messages),
        },
        "benefits": [_benefit_json(benefit) for benefit in member.benefits],
    }


def _benefit_json(benefit: Benefit) -> dict[str, Any]:
    def code(value: Coded | None) -> dict[str, str | None] | None:
        return value.as_json() if value else None

    return {
        "in_words": benefit.in_words(),
        "info": benefit.info.as_json(),
        "coverage_level": code(benefit.coverage_level),
        "service_types": [service.as_json() for service in benefit.service_types],
        "insurance_type": code(benefit.insurance_type),
        "plan_description": benefit.plan_description,
        "time_period": code(benefit.time_period),
        "amount": _text(benefit.amount),
        "percent": _text(benefit.percent),
        "quantity_qualifier": code(benefit.quantity_qualifier),
        "quantity": _text(benefit.quantity),
        "authorization_required": benefit.authorization_required,
        "in_network": benefit.in_network,
        "procedure": benefit.procedure,
        "delivery": list(benefit.delivery),
        "dates": _dates_json(benefit.dates),
        "messages": list(benefit.messages),
        "related_entity": benefit.related_entity,
    }


def _dates_json(dates: tuple[Dates, ...]) -> list[dict[str, Any]]:
    return [
        {
            "qualifier": d.qualifier.as_json(),
            "from": d.start.isoformat() if d.start else None,
            "to": d.end.isoformat() if d.end else None,
        }
        for d in dates
    ]


def _rejection_json(rejection: Rejection) -> dict[str, Any]:
    return {
        "level": rejection.level,
        "reason": rejection.reason.as_json() if rejection.reason else None,
        "follow_up": rejection.follow_up.as_json() if rejection.follow_up else None,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
