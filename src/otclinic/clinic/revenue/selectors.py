"""Reads for the claims pages, scoped to the user's organization and checked against the role.

Which claims and batches a user may see is `revenue.access`; a claim or batch of another
organization is answered like one that does not exist (404).
"""

import datetime as dt
import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.revenue.access import visible_batches, visible_claims
from otclinic.clinic.revenue.charges import billable_notes, not_billable_notes
from otclinic.clinic.revenue.claims import unbilled_charges
from otclinic.clinic.revenue.models import Claim, ClaimBatch, ClaimStatus
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role

CLAIM_LIST_SELECT = ("patient", "coverage__payer", "rendering_provider__user")


def claims_for_user(
    *,
    user: Any,
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


def claim_counts(*, user: Any) -> dict[str, int]:
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


def batches_for_user(*, user: Any) -> QuerySet[ClaimBatch]:
    require(user, Capability.VIEW_BILLING)
    return (
        visible_batches(user)
        .select_related("payer")
        .annotate(claim_count=Count("claims"))
        .order_by("-interchange_control_number")
    )


def batch_get_for_user(*, user: Any, batch_id: uuid.UUID | str) -> ClaimBatch:
    return get_visible(batches_for_user(user=user), batch_id, what="batch")


def work_counts(*, user: Any) -> dict[str, int]:
    """What waits for the biller: signed notes without charges, charges without a claim; and
    how many notes were signed as not billable (never charged)."""
    require(user, Capability.VIEW_BILLING)
    return {
        "notes": billable_notes(user.organization_id).count(),
        "charges": unbilled_charges(user.organization_id).count(),
        "not_billable": not_billable_notes(user.organization_id).count(),
    }


def not_billable_for_user(*, user: Any, limit: int = 20) -> list[Any]:
    """The latest notes signed as not billable, with their reasons, for the claims page."""
    require(user, Capability.VIEW_BILLING)
    return list(not_billable_notes(user.organization_id)[:limit])


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
