"""Coverage (US Core 6.1) and Consent (base R4: the portal-sharing consents)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from otclinic.clinic.fhir.access import PORTAL_SCOPE
from otclinic.clinic.fhir.shapes import Ctx, base, coding, concept, day, prune, ref
from otclinic.clinic.patients.models import Consent, PortalScope
from otclinic.clinic.payers.models import Coverage
from otclinic.domain.fhir import terminology as t


def member_id_system(payer_id: object) -> str:
    """The identifier system of one payer's member ids (the payer as otclinic records it)."""
    return f"urn:otclinic:payer:{payer_id}:member-id"


def _coverage_classes(row: Coverage) -> list[dict[str, Any]]:
    classes = [
        {
            "type": concept(t.COVERAGE_CLASS, "plan", "Plan"),
            "value": row.payer.plan_kind,
            "name": row.payer.get_plan_kind_display(),
        }
    ]
    if row.group_number:
        classes.insert(
            0, {"type": concept(t.COVERAGE_CLASS, "group", "Group"), "value": row.group_number}
        )
    return classes


def coverage(row: Coverage, ctx: Ctx) -> dict[str, Any]:
    """A patient's coverage: the member id as identifier and subscriberId, the payer as payor,
    the dates in force as period, the group and the kind of plan as classes.

    The subscriber is referenced only when it is the patient: otclinic keeps another
    subscriber's name and address, not a record a reference could name.
    """
    plan_code, plan_label = t.PAYMENT_TYPOLOGY[row.payer.plan_kind]
    return prune(
        {
            **base("Coverage", row),
            "identifier": [
                {
                    "type": concept(t.V2_0203, "MB", "Member Number"),
                    "system": member_id_system(row.payer_id),
                    "value": row.member_id,
                }
            ],
            "status": "active",
            "type": concept(t.SOURCE_OF_PAYMENT, plan_code, plan_label),
            "subscriber": (
                ref("Patient", row.patient_id) if row.subscriber_relationship == "self" else None
            ),
            "subscriberId": row.member_id,
            "beneficiary": ref("Patient", row.patient_id),
            "relationship": concept(
                t.SUBSCRIBER_RELATIONSHIP,
                t.SUBSCRIBER_RELATIONSHIP_CODE[row.subscriber_relationship],
            ),
            "period": prune(
                {"start": day(row.starts_on), "end": day(row.ends_on) if row.ends_on else None}
            ),
            "payor": [ref("Organization", row.payer_id, row.payer.name)],
            "class": _coverage_classes(row),
            "order": t.COVERAGE_ORDER[row.priority],
        }
    )


def consent_status(row: Consent, today: dt.date) -> str:
    """R4 ConsentState: active while the consent holds, inactive once revoked or expired."""
    return "active" if row.in_force_on(today) else "inactive"


def _scope_provision(scope: str) -> dict[str, Any]:
    """One shared part of the record, with the FHIR types a caregiver reads under it."""
    types = sorted(name for name, needs in PORTAL_SCOPE.items() if needs == scope)
    return prune(
        {
            "type": "permit",
            "code": [concept(t.LOCAL_PORTAL_SCOPE, scope, PortalScope(scope).label)],
            "class": [coding(t.RESOURCE_TYPES, name) for name in types],
        }
    )


def consent(row: Consent, ctx: Ctx) -> dict[str, Any]:
    """A portal-sharing consent: the patient permits the caregiver contact to see the parts of
    the record named by its scopes (one nested provision each), from the day it was signed to
    its last day (or the day before it was revoked)."""
    last_days = [row.expires_on]
    if row.revoked_on is not None:  # revoked on a day: it held until the day before
        last_days.append(row.revoked_on - dt.timedelta(days=1))
    ends = [d for d in last_days if d is not None]
    contact = row.contact
    return prune(
        {
            **base("Consent", row),
            "status": consent_status(row, timezone.localdate()),
            "scope": concept(t.CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
            "category": [concept(t.LOINC, *t.CONSENT_CATEGORY)],
            "patient": ref("Patient", row.patient_id),
            "dateTime": day(row.signed_on),
            "performer": [ref("Patient", row.patient_id)],
            "organization": [ref("Organization", row.organization_id)],
            "policyRule": concept(t.ACT_CODE, *t.CONSENT_POLICY),
            "provision": prune(
                {
                    "type": "permit",
                    "period": prune(
                        {"start": day(row.signed_on), "end": day(min(ends)) if ends else None}
                    ),
                    "actor": (
                        [
                            {
                                "role": concept(t.PARTICIPATION_TYPE, *t.CONSENT_RECIPIENT),
                                "reference": {"display": contact.name},
                            }
                        ]
                        if contact is not None
                        else []
                    ),
                    "provision": [_scope_provision(scope) for scope in row.scopes],
                }
            ),
        }
    )
