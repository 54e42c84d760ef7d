"""Reads for the remittance pages, scoped to the user's organization and checked by role.

A record of another organization is answered like one that does not exist (404). Reading needs
VIEW_BILLING; the pages' actions call services that need MANAGE_BILLING.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.revenue.denial_codes import (
    GROUP,
    RARC,
    CodeText,
    carc_text,
    official_texts,
)
from otclinic.clinic.revenue.models import (
    Claim,
    Denial,
    DenialStatus,
    LedgerEntry,
    PatientStatement,
    Remittance,
    RemittanceClaim,
    RemittanceService,
)
from otclinic.domain.access import Capability

OPEN_STATUSES = (
    DenialStatus.OPEN,
    DenialStatus.APPEALED,
    DenialStatus.CORRECTED,
    DenialStatus.BILLED_SECONDARY,
)


def _get(queryset: QuerySet[Any], pk: uuid.UUID | str, what: str) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser(f"no such {what}") from exc


def unmatched_for_user(*, user: Any) -> QuerySet[RemittanceClaim]:
    require(user, Capability.VIEW_BILLING)
    return (
        RemittanceClaim.objects.for_org(user.organization_id)
        .filter(claim__isnull=True)
        .select_related("remittance")
        .order_by("-created_at")
    )


def unmatched_lines_for_user(*, user: Any) -> QuerySet[RemittanceService]:
    """Service lines of posted claims that matched none of the claim's lines, with why."""
    require(user, Capability.VIEW_BILLING)
    return (
        RemittanceService.objects.for_org(user.organization_id)
        .filter(claim_line__isnull=True, remittance_claim__claim__isnull=False)
        .exclude(unmatched_reason="")
        .select_related("remittance_claim__remittance", "remittance_claim__claim")
        .order_by("-created_at")
    )


def remittance_claim_get_for_user(*, user: Any, remittance_claim_id: Any) -> RemittanceClaim:
    require(user, Capability.VIEW_BILLING)
    rows = RemittanceClaim.objects.for_org(user.organization_id).select_related("remittance")
    return _get(rows.prefetch_related("services"), remittance_claim_id, "remittance claim")


def claim_by_control_number_for_user(*, user: Any, control_number: str) -> Claim | None:
    require(user, Capability.VIEW_BILLING)
    return (
        Claim.objects.for_org(user.organization_id)
        .filter(patient_control_number=control_number.strip())
        .first()
    )


def denial_get_for_user(*, user: Any, denial_id: Any) -> Denial:
    require(user, Capability.VIEW_BILLING)
    rows = Denial.objects.for_org(user.organization_id).select_related(
        "claim__patient",
        "claim__coverage__payer",
        "claim_line__charge__note",
        "remittance_claim__remittance",
    )
    return _get(rows, denial_id, "denial")


def remittance_file_open_for_user(*, user: Any, remittance_id: Any) -> Remittance:
    """A remittance whose 835 file is to be downloaded (it names patients and their services);
    opening it is recorded in the audit trail. One imported before files were kept has none."""
    require(user, Capability.VIEW_BILLING)
    rows = Remittance.objects.for_org(user.organization_id).exclude(file="")
    remittance: Remittance = _get(rows, remittance_id, "835 file")
    audit_record(
        action=AuditAction.VIEW,
        object_type="revenue.remittance",
        object_id=remittance.pk,
        organization_id=remittance.organization_id,
        detail="835 file download",
    )
    return remittance


@dataclass
class DenialGroup:
    """Open denials with one CARC and one set of RARCs, with what they mean and what to do."""

    reason_code: str
    remark_codes: tuple[str, ...]
    carc: CodeText
    remarks: list[tuple[str, str]]
    official: str = ""
    denials: list[Denial] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((d.amount for d in self.denials), Decimal("0.00"))


def denial_groups_for_user(*, user: Any) -> list[DenialGroup]:
    """The work queue: open denials grouped by CARC and RARCs, largest total first."""
    require(user, Capability.VIEW_BILLING)
    denials = (
        Denial.objects.for_org(user.organization_id)
        .filter(status__in=OPEN_STATUSES)
        .select_related("claim__patient", "claim__coverage__payer", "claim_line__charge")
        .order_by("created_at")
    )
    official = official_texts()
    groups: dict[tuple[str, tuple[str, ...]], DenialGroup] = {}
    for denial in denials:
        remarks = tuple(sorted(denial.remark_codes))
        key = (denial.reason_code, remarks)
        if key not in groups:
            groups[key] = DenialGroup(
                reason_code=denial.reason_code,
                remark_codes=remarks,
                carc=carc_text(denial.reason_code),
                remarks=[(r, RARC.get(r, "")) for r in remarks],
                official=official.get(("CARC", denial.reason_code), ""),
            )
        groups[key].denials.append(denial)
    return sorted(groups.values(), key=lambda g: (-g.total, g.reason_code))


def group_explanation(code: str) -> str:
    return GROUP.get(code, "")


def patient_get_for_billing(*, user: Any, patient_id: Any) -> Patient:
    require(user, Capability.VIEW_BILLING)
    return _get(Patient.objects.filter(organization_id=user.organization_id), patient_id, "patient")


def patient_ledger(*, patient: Patient) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.for_org(patient.organization_id)
        .filter(patient=patient)
        .select_related("claim", "claim_line")
    )


def statement_get_for_user(*, user: Any, statement_id: Any) -> PatientStatement:
    require(user, Capability.VIEW_BILLING)
    rows = PatientStatement.objects.for_org(user.organization_id)
    return _get(rows, statement_id, "statement")


def balances_by_patient(*, user: Any) -> list[dict[str, Any]]:
    """Patients who owe something, with their balance, largest first."""
    require(user, Capability.VIEW_BILLING)
    totals: dict[Any, Decimal] = defaultdict(lambda: Decimal("0.00"))
    rows = (
        LedgerEntry.objects.for_org(user.organization_id)
        .filter(responsibility="patient")
        .values_list("patient_id", "amount")
    )
    for patient_id, amount in rows:
        totals[patient_id] += amount
    patients = Patient.objects.filter(pk__in=[p for p, t in totals.items() if t])
    return sorted(
        ({"patient": p, "balance": totals[p.pk]} for p in patients),
        key=lambda row: -row["balance"],
    )
