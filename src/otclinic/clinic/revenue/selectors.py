"""Reads for the claims pages, scoped to the user's organization and checked against the role.

Which claims and batches a user may see is `revenue.access`; a claim or batch of another
organization is answered like one that does not exist (404).
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care.models import NotBillableReason
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.common.links import link_maker
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.revenue.access import visible_batches, visible_claims
from otclinic.clinic.revenue.charges import billable_notes, not_billable_notes
from otclinic.clinic.revenue.models import (
    Charge,
    ChargeStatus,
    Claim,
    ClaimBatch,
    ClaimFrequency,
    ClaimStatus,
)
from otclinic.clinic.revenue.models.claims import scrub_summary
from otclinic.clinic.staff.models import staff_label
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role

CLAIM_LIST_SELECT = ("patient", "coverage__payer", "rendering_provider__user")


def unbilled_charges(organization_id: uuid.UUID) -> QuerySet[Charge]:
    """Charges not on a claim whose episode has a payer to bill, in date order."""
    return (
        Charge.objects.for_org(organization_id)
        .filter(status=ChargeStatus.UNBILLED, note__episode__coverage__isnull=False)
        .order_by("date_of_service", "created_at")
    )


def claims_for_user(
    *,
    user: User,
    status: str | None = None,
    q: str = "",
    payer: Any = None,
    service_from: dt.date | None = None,
    service_to: dt.date | None = None,
) -> QuerySet[Claim]:
    """The organization's claims, newest service first, narrowed by what the biller searched:
    each word of `q` a name or MRN of the patient, or our or the payer's claim number (their
    start); the payer; the status; claims with a service date in [service_from, service_to]."""
    require(user, Capability.VIEW_BILLING)
    claims = visible_claims(user).select_related(*CLAIM_LIST_SELECT)
    if status:
        claims = claims.filter(status=status)
    if payer is not None:
        claims = claims.filter(coverage__payer=payer)
    if service_from:
        claims = claims.filter(last_service_on__gte=service_from)
    if service_to:
        claims = claims.filter(first_service_on__lte=service_to)
    for word in q.split()[:4]:
        claims = claims.filter(
            Q(patient__last_name__istartswith=word)
            | Q(patient__first_name__istartswith=word)
            | Q(patient__mrn__iexact=word)
            | Q(patient_control_number__istartswith=word)
            | Q(payer_claim_number__istartswith=word)
        )
    return claims.order_by("-first_service_on", "patient_control_number")


# What a row of the claims list shows: not every column of the claim, its patient and payer.
# What a row of the claims list reads, in the order `claim_rows` makes a `ClaimRow` from them:
# columns, not the claim, patient, coverage and payer as model rows (25 rows of four models and
# their JSON were about a third of the page's CPU at ten times the demo clinic).
CLAIM_ROW_COLUMNS = (
    "id",
    "patient_control_number",
    "frequency",
    "status",
    "total_charge",
    "first_service_on",
    "last_service_on",
    "crossed_over_to",
    "scrub_findings",
    "scrubbed_at",
    "patient_id",
    "patient__first_name",
    "patient__last_name",
    "coverage__payer__name",
)


def claim_rows_for_user(*, user: User, **filters: Any) -> QuerySet[Any]:
    """`claims_for_user` as the columns of the list's rows (`CLAIM_ROW_COLUMNS`); a page of
    them becomes `ClaimRow`s with `claim_rows`."""
    claims = claims_for_user(user=user, **filters).select_related(None)
    return claims.values_list(*CLAIM_ROW_COLUMNS)


@dataclass(frozen=True)
class ClaimRow:
    """A row of the claims list as it is drawn: its link and labels made once per list."""

    pk: uuid.UUID
    url: str
    patient_control_number: str
    frequency_label: str  # "" for an original claim
    patient_name: str
    payer_name: str
    first_service_on: dt.date
    last_service_on: dt.date
    total_charge: Decimal
    status_label: str
    scrub_summary: str
    crossed_over_to: str


_STATUS_LABELS = dict(ClaimStatus.choices)
_FREQUENCY_LABELS = dict(ClaimFrequency.choices)


def claim_rows(page: Iterable[tuple[Any, ...]]) -> list[ClaimRow]:
    """The rows of a page of `claim_rows_for_user`, the link to a claim reversed once; the
    patients they name recorded as read."""
    link = link_maker("claim-detail")
    rows, patients = [], []
    for (
        pk,
        number,
        frequency,
        status,
        total,
        first,
        last,
        crossed_over_to,
        findings,
        scrubbed_at,
        patient_id,
        first_name,
        last_name,
        payer,
    ) in page:
        patients.append(patient_id)
        rows.append(
            ClaimRow(
                pk=pk,
                url=link(pk),
                patient_control_number=number,
                frequency_label=""
                if frequency == ClaimFrequency.ORIGINAL
                else _FREQUENCY_LABELS.get(frequency, frequency),
                patient_name=f"{last_name}, {first_name}",
                payer_name=payer,
                first_service_on=first,
                last_service_on=last,
                total_charge=total,
                status_label=_STATUS_LABELS.get(status, status),
                scrub_summary=scrub_summary(scrubbed_at, findings),
                crossed_over_to=crossed_over_to,
            )
        )
    saw(patients, "claims")
    return rows


def claim_counts(*, user: User) -> dict[str, int]:
    """How many claims are in each status, every status listed."""
    require(user, Capability.VIEW_BILLING)
    rows = visible_claims(user).values("status").annotate(n=Count("id")).order_by()
    found = {row["status"]: row["n"] for row in rows}
    return {status.value: found.get(status.value, 0) for status in ClaimStatus}


def claim_get_for_user(*, user: Any, claim_id: uuid.UUID | str) -> Claim:
    """One claim the user may open (revenue.access), or 404."""
    require(user, Capability.VIEW_BILLING)
    claims = visible_claims(user).select_related(
        *CLAIM_LIST_SELECT,
        "organization",
        "episode__clinic",
        "referring_physician",
        "original",
        "primary_claim",
        "batch",
    )
    return get_visible(claims, claim_id, what="claim")


def batches_for_user(*, user: User) -> QuerySet[ClaimBatch]:
    require(user, Capability.VIEW_BILLING)
    return (
        visible_batches(user)
        .select_related("payer")
        .annotate(claim_count=Count("claims"))
        .order_by("-interchange_control_number")
    )


def batch_get_for_user(*, user: Any, batch_id: uuid.UUID | str) -> ClaimBatch:
    batch = get_visible(batches_for_user(user=user), batch_id, what="batch")
    # The 837P file names every patient it bills: downloading it reads them all.
    saw(batch.claims.values_list("patient_id", flat=True), "837P batch")
    return batch


def work_counts(*, user: User) -> dict[str, int]:
    """What waits for the biller: signed notes without charges, charges without a claim; and
    how many notes were signed as not billable (never charged)."""
    require(user, Capability.VIEW_BILLING)
    return {
        "notes": billable_notes(organization_id_of(user)).count(),
        "charges": unbilled_charges(organization_id_of(user)).count(),
        "not_billable": not_billable_notes(organization_id_of(user)).count(),
    }


# What the claims page shows of a note signed as not billable: not the note's text; its
# columns, in the order `NotBillableRow` is made from them.
NOT_BILLABLE_COLUMNS = (
    "pk",
    "date_of_service",
    "not_billable_reason",
    "not_billable_detail",
    "episode__patient_id",
    "episode__patient__first_name",
    "episode__patient__last_name",
    "author__credentials",
    "author__user__first_name",
    "author__user__last_name",
    "author__user__username",
)
_NOT_BILLABLE_REASONS = dict(NotBillableReason.choices)


@dataclass(frozen=True)
class NotBillableRow:
    """A note signed as not billable, as the claims page lists it: its link made once per list."""

    url: str
    date_of_service: dt.date
    patient_name: str
    author: str
    reason_label: str
    detail: str


def not_billable_for_user(*, user: User, limit: int = 20) -> list[NotBillableRow]:
    """The latest notes signed as not billable, with their reasons, for the claims page. The
    patients named are recorded as read (`saw`), as the rows they were read from used to be."""
    require(user, Capability.VIEW_BILLING)
    notes = not_billable_notes(organization_id_of(user)).select_related(None)
    rows = list(notes.values_list(*NOT_BILLABLE_COLUMNS)[:limit])
    saw([row[4] for row in rows], "")
    link = link_maker("note-detail")
    return [
        NotBillableRow(
            url=link(pk),
            date_of_service=day,
            patient_name=f"{last}, {first}",
            author=staff_label(
                first_name=author_first,
                last_name=author_last,
                username=username,
                credentials=credentials,
            ),
            reason_label=_NOT_BILLABLE_REASONS.get(reason, reason),
            detail=detail,
        )
        for (
            pk,
            day,
            reason,
            detail,
            _patient_id,
            first,
            last,
            credentials,
            author_first,
            author_last,
            username,
        ) in rows
    ]


def exporting_user(*, slug: str | None, username: str | None) -> User:
    """The user the command line exports as: named, or the organization's first biller (then
    clinic administrator). Raises LookupError saying what to pass."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise LookupError(f"no active user {username!r}")
        return user
    orgs = Organization.objects.filter(slug=slug) if slug else Organization.objects.all()
    if orgs.count() != 1:
        raise LookupError(
            "name the organization with --organization SLUG (or the user with --user)"
        )
    org = orgs.get()
    for role in (Role.BILLER, Role.CLINIC_ADMIN):
        user = (
            User.objects.filter(organization=org, role=role, is_active=True)
            .order_by("date_joined", "username")
            .first()
        )
        if user is not None:
            return user
    raise LookupError(f"{org.slug} has no active biller or clinic administrator: pass --user")
