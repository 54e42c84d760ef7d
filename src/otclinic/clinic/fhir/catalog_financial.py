"""The financial types: Claim (otclinic's claims) and ExplanationOfBenefit (posted 835 claim
payments). Only billing roles and clinic admins read them (`access.FINANCIAL_TYPES`)."""

from django.db.models import Q

from otclinic.clinic.fhir import mappers_financial as financial
from otclinic.clinic.fhir import params as p
from otclinic.clinic.fhir.sources import ResourceType, Source
from otclinic.clinic.revenue.models import Claim, RemittanceClaim
from otclinic.domain.fhir import financial as fin

_USE = p.fixed(fin.CLAIM_USE, ["claim"])

FINANCIAL = (
    ResourceType(
        "Claim",
        (
            Source(
                Claim,
                financial.claim,
                patient_paths=("patient",),
                params={
                    **p.subject("patient"),
                    "status": p.mapped("status", fin.CLAIM_STATUS),
                    "use": _USE,
                    "created": p.date("created_at", is_datetime=True),
                    "identifier": p.code("patient_control_number", None),
                    "insurer": p.ids("coverage__payer_id", resource_type="Organization"),
                },
                related=("coverage",),
                prefetch=("lines",),
            ),
        ),
        {
            "patient": "reference",
            "status": "token",
            "use": "token",
            "created": "date",
            "identifier": "token",
            "insurer": "reference",
        },
    ),
    ResourceType(
        "ExplanationOfBenefit",
        (
            Source(
                RemittanceClaim,
                financial.explanation_of_benefit,
                patient_paths=("claim__patient",),
                # A claim payment still in the unmatched queue is nobody's yet.
                where=Q(claim__isnull=False),
                params={
                    **p.subject("claim__patient"),
                    "status": p.fixed(fin.EOB_STATUS, ["active"]),
                    "use": _USE,
                    "created": p.date("created_at", is_datetime=True),
                    "identifier": p.any_of(
                        p.code("claim__patient_control_number", None),
                        p.code("payer_claim_number", None),
                    ),
                    "claim": p.ids("claim_id", resource_type="Claim"),
                },
                related=("claim__coverage", "remittance"),
                prefetch=("services__claim_line",),
            ),
        ),
        {
            "patient": "reference",
            "status": "token",
            "use": "token",
            "created": "date",
            "identifier": "token",
            "claim": "reference",
        },
    ),
)
