"""Reads for the remittance pages, scoped to the user's organization and checked by role.

A record of another organization is answered like one that does not exist (404). Reading needs
VIEW_BILLING; the pages' actions call services that need MANAGE_BILLING.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Model, Q, QuerySet, Sum

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.revenue.access import visible_claims
from otclinic.clinic.revenue.denial_codes import (
    GROUP,
    RARC,
    CodeText,
    carc_text,
    official_texts,
)
from otclinic.clinic.revenue.models import (
    OPEN_DENIAL_STATUSES,
    Acknowledgment,
    Claim,
    ClaimRejection,
    Denial,
    LedgerEntry,
    PatientPayment,
    PatientStatement,
    Remittance,
    RemittanceClaim,
    RemittanceService,
)
from otclinic.domain.access import Capability

CENTS = Decimal("0.01")
OPEN_STATUSES = OPEN_DENIAL_STATUSES


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Balance(TypedDict):
    balance: Decimal


M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], pk: uuid.UUID | str, what: str) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:  # the model's DoesNotExist
        raise NotFoundForUser(f"no such {what}") from exc


def unmatched_for_user(*, user: User) -> QuerySet[RemittanceClaim]:
    require(user, Capability.VIEW_BILLING)
    return (
        RemittanceClaim.objects.for_org(user.organization_id)
        .filter(claim__isnull=True)
        .select_related("remittance")
        .order_by("-created_at")
    )


def unmatched_lines_for_user(*, user: User) -> QuerySet[RemittanceService]:
    """Service lines of posted claims that matched none of the claim's lines, with why."""
    require(user, Capability.VIEW_BILLING)
    return (
        RemittanceService.objects.for_org(user.organization_id)
        .filter(claim_line__isnull=True, remittance_claim__claim__isnull=False)
        .exclude(unmatched_reason="")
        .select_related("remittance_claim__remittance", "remittance_claim__claim")
        .order_by("-created_at")
    )


def remittance_claim_get_for_user(*, user: User, remittance_claim_id: Any) -> RemittanceClaim:
    require(user, Capability.VIEW_BILLING)
    rows = RemittanceClaim.objects.for_org(user.organization_id).select_related("remittance")
    return _get(rows.prefetch_related("services"), remittance_claim_id, "remittance claim")


def claim_by_control_number_for_user(*, user: User, control_number: str) -> Claim | None:
    require(user, Capability.VIEW_BILLING)
    return visible_claims(user).filter(patient_control_number=control_number.strip()).first()


def denial_get_for_user(*, user: User, denial_id: Any) -> Denial:
    require(user, Capability.VIEW_BILLING)
    rows = Denial.objects.for_org(user.organization_id).select_related(
        "claim__patient",
        "claim__coverage__payer",
        "claim_line__charge__note",
        "remittance_claim__remittance",
    )
    return _get(rows, denial_id, "denial")


def remittance_file_open_for_user(*, user: User, remittance_id: Any) -> Remittance:
    """A remittance whose 835 file is to be downloaded (it names patients and their services);
    opening it is recorded in the audit trail. One imported before files were kept has none."""
    require(user, Capability.VIEW_BILLING)
    rows = Remittance.objects.for_org(user.organization_id).exclude(file="")
    remittance: Remittance = _get(rows, remittance_id, "835 file")
    # The file names every patient it pays for, the matched and the unmatched alike; the entry
    # names those matched to a claim (the others are not known to be patients here).
    saw(remittance.claims.values_list("claim__patient_id", flat=True), "835 file")
    return remittance


@dataclass
class DenialGroup:
    """Open denials from one payer with one CARC: how many, how much, what the code means and
    what to do, and the RARCs that came with them."""

    payer_id: Any
    payer_name: str
    reason_code: str
    count: int
    total: Decimal
    carc: CodeText
    official: str = ""
    remarks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.payer_id), self.reason_code)


def _open_denials(user: User) -> QuerySet[Denial]:
    require(user, Capability.VIEW_BILLING)
    return Denial.objects.for_org(user.organization_id).filter(status__in=OPEN_STATUSES)


PAYER = "payer"


def denial_groups_for_user(*, user: User) -> list[DenialGroup]:
    """The work queue's groups: open denials by payer and CARC, largest total first. One
    aggregate query over the open denials alone (each keeps its payer), however many claims
    there are: by payer, CARC and RARCs, folded here into one group per payer and CARC (a
    group's RARCs are those of any of its denials)."""
    rows = (
        _open_denials(user)
        .values(f"{PAYER}_id", f"{PAYER}__name", "reason_code", "remark_codes")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by()
    )
    official = official_texts()
    groups: dict[tuple[Any, str], DenialGroup] = {}
    for row in rows:
        key = (row[f"{PAYER}_id"], row["reason_code"])
        # SQLite's SUM drops the two decimal places; money always shows them.
        total = Decimal(row["total"]).quantize(CENTS)
        group = groups.get(key)
        if group is None:
            group = groups[key] = DenialGroup(
                payer_id=key[0],
                payer_name=row[f"{PAYER}__name"],
                reason_code=key[1],
                count=0,
                total=Decimal("0.00"),
                carc=carc_text(key[1]),
                official=official.get(("CARC", key[1]), ""),
            )
        group.count += row["count"]
        group.total += total
        for code in row["remark_codes"] or []:
            if all(code != known for known, _ in group.remarks):
                group.remarks.append((code, RARC.get(code, "")))
    for group in groups.values():
        group.remarks.sort()
    return sorted(groups.values(), key=lambda g: (-g.total, g.payer_name, g.reason_code))


# What a denial's row in the work queue shows: not every column of its claim and line.
DENIAL_ROW_FIELDS = (
    "id",
    "organization_id",
    "created_at",
    "group_code",
    "remark_codes",
    "amount",
    "status",
    "claim__id",
    "claim__patient_control_number",
    "claim__patient__id",
    "claim__patient__first_name",
    "claim__patient__last_name",
    "claim_line__id",
    "claim_line__code",
    "claim_line__date_of_service",
)


def denials_in_group_for_user(*, user: User, group: DenialGroup) -> QuerySet[Denial]:
    """The open denials of one group, oldest first, with what their rows show."""
    return (
        _open_denials(user)
        .filter(payer_id=group.payer_id, reason_code=group.reason_code)
        .select_related("claim__patient", "claim_line")
        .only(*DENIAL_ROW_FIELDS)
        .order_by("created_at", "pk")
    )


def group_explanation(code: str) -> str:
    return GROUP.get(code, "")


def patient_get_for_billing(*, user: User, patient_id: Any) -> Patient:
    """A patient of the user's organization, for the balance page: billing staff, and the front
    desk that takes payments."""
    if not user_may(user, Capability.TAKE_PAYMENT):
        require(user, Capability.VIEW_BILLING)
    return _get(
        Patient.objects.filter(organization_id=organization_id_of(user)), patient_id, "patient"
    )


def patient_ledger(*, patient: Patient) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.for_org(patient.organization_id)
        .filter(patient=patient)
        .select_related("claim", "claim_line")
    )


def statement_get_for_user(*, user: User, statement_id: Any) -> PatientStatement:
    require(user, Capability.VIEW_BILLING)
    rows = PatientStatement.objects.for_org(user.organization_id)
    statement: PatientStatement = _get(rows, statement_id, "statement")
    saw([statement.patient_id], "statement")
    return statement


def balances_by_patient(
    *, user: User, q: str = ""
) -> "QuerySet[WithAnnotations[Patient, _Balance]]":
    """Patients who owe something (or are owed), each with `balance`, largest first; each word
    of `q` narrows to a name or MRN. Read from the kept balances (`PatientBalance`): one query
    (and one to count), whatever the size of the ledger."""
    require(user, Capability.VIEW_BILLING)
    patients = Patient.objects.for_org(user.organization_id)
    for word in q.split()[:3]:
        patients = patients.filter(
            Q(last_name__istartswith=word) | Q(first_name__istartswith=word) | Q(mrn__iexact=word)
        )
    return (
        patients.filter(kept_balance__isnull=False)
        .exclude(kept_balance__amount=0)
        .annotate(balance=F("kept_balance__amount"))
        .order_by("-balance", "last_name", "first_name", "pk")
    )


def rejections_open_for_user(*, user: User) -> QuerySet[Any]:
    """The claims the payers' front ends rejected, not yet corrected: the oldest first."""
    require(user, Capability.VIEW_BILLING)
    return (
        ClaimRejection.objects.for_org(user.organization_id)
        .filter(resolved_at__isnull=True)
        .select_related("claim__patient", "claim__coverage__payer", "acknowledgment")
        .order_by("created_at", "pk")
    )


def rejection_get_for_user(*, user: User, rejection_id: Any) -> "ClaimRejection":
    from django.shortcuts import get_object_or_404

    require(user, Capability.VIEW_BILLING)
    return get_object_or_404(ClaimRejection.objects.for_org(user.organization_id), pk=rejection_id)


def acknowledgments_for_user(*, user: User, limit: int = 10) -> list[Any]:
    require(user, Capability.VIEW_BILLING)
    return list(
        Acknowledgment.objects.for_org(user.organization_id).order_by("-created_at")[:limit]
    )


def payments_of(*, patient: Patient) -> QuerySet[Any]:
    return PatientPayment.objects.for_org(patient.organization_id).filter(patient=patient)


def payment_get_for_user(*, user: User, payment_id: Any) -> "PatientPayment":
    if not user_may(user, Capability.TAKE_PAYMENT):
        require(user, Capability.VIEW_BILLING)
    return _get(
        PatientPayment.objects.filter(organization_id=organization_id_of(user)).select_related(
            "patient"
        ),
        payment_id,
        "payment",
    )


def remittances_for_user(*, user: User) -> QuerySet[Remittance]:
    """The organization's posted payments (one per 835 transaction set), the latest first."""
    require(user, Capability.VIEW_BILLING)
    return Remittance.objects.for_org(user.organization_id).order_by("-created_at", "pk")


def remittance_get_for_user(*, user: User, remittance_id: Any) -> Remittance:
    """One posted payment with its claim payments and their service lines; showing it names the
    patients of the claims it paid (the unmatched ones are not known to be patients here)."""
    rows = remittances_for_user(user=user).prefetch_related("claims__services")
    remittance: Remittance = _get(rows, remittance_id, "remittance")
    saw(remittance.claims.values_list("claim__patient_id", flat=True), "remittance")
    return remittance


def open_denials_for_user(
    *, user: User, payer_id: uuid.UUID | None = None, reason_code: str = ""
) -> QuerySet[Denial]:
    """The denial work queue as one list, oldest first: one payer's, one CARC's, or all."""
    denials = _open_denials(user).select_related("claim__patient")
    if payer_id is not None:
        denials = denials.filter(payer_id=payer_id)
    if reason_code:
        denials = denials.filter(reason_code=reason_code)
    return denials.order_by("created_at", "pk")
