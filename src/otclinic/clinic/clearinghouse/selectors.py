"""Reads for the clearinghouse page and the claims' payer status, through the user's
organization."""

from typing import Any

from django.db.models import Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.clearinghouse.models import ClaimStatusInquiry, ExchangeFile
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.payers.models import EligibilityRequest, Payer
from otclinic.clinic.revenue.models import Claim
from otclinic.domain.access import Capability


def exchange_files_for_user(*, user: User, direction: str) -> QuerySet[ExchangeFile]:
    require(user, Capability.MANAGE_BILLING)
    return (
        ExchangeFile.objects.for_org(user.organization_id)
        .filter(direction=direction)
        .select_related("payer")
    )


def exchange_file_get_for_user(*, user: User, file_id: Any) -> ExchangeFile:
    """An outbox or inbox file to download (it names patients and their claims); opening it is
    recorded in the audit trail."""
    require(user, Capability.MANAGE_BILLING)
    try:
        record: ExchangeFile = ExchangeFile.objects.for_org(user.organization_id).get(pk=file_id)
    except ExchangeFile.DoesNotExist as exc:
        raise NotFoundForUser("no such file") from exc
    saw(patients_in_file(record), f"{record.kind or 'X12'} file")
    return record


def patients_in_file(record: ExchangeFile) -> set[Any]:
    """The patients an exchange file names, as far as they are known: the claims of the 837P
    batch and of the 835 with the same bytes, the 270/271's coverages, the 276/277's claims.
    An acknowledgment (999, 277CA) names none."""
    org, sha = record.organization_id, record.sha256
    found = [
        Claim.objects.filter(organization_id=org, batch__sha256=sha),
        Claim.objects.filter(organization_id=org, remittances__remittance__file_sha256=sha),
        Claim.objects.filter(
            Q(status_inquiries__sent_in=record) | Q(status_inquiries__answered_in=record)
        ),
    ]
    ids = {pid for rows in found for pid in rows.values_list("patient_id", flat=True)}
    asked = EligibilityRequest.objects.filter(organization_id=org).filter(
        Q(sent_in__sha256=sha) | Q(answered_in__sha256=sha)
    )
    return ids | set(asked.values_list("coverage__patient_id", flat=True))


def payers_with_connections(*, user: User) -> QuerySet[Payer]:
    require(user, Capability.MANAGE_BILLING)
    return (
        Payer.objects.for_org(user.organization_id)
        .filter(active=True)
        .select_related("connection")
        .order_by("name")
    )


def payer_get_for_user(*, user: User, payer_id: Any) -> Payer:
    try:
        return payers_with_connections(user=user).get(pk=payer_id)
    except Payer.DoesNotExist as exc:
        raise NotFoundForUser("no such payer") from exc


def payer_statuses(claim_ids: list[Any]) -> dict[Any, ClaimStatusInquiry]:
    """The latest answered claim status of each claim (one query); the caller has checked that
    the claims are the user's."""
    latest: dict[Any, ClaimStatusInquiry] = {}
    answered = (
        ClaimStatusInquiry.objects.filter(claim_id__in=claim_ids, answered_at__isnull=False)
        .order_by("claim_id", "-answered_at")
        .only("claim_id", "category", "status_code", "status_date", "words", "answered_at")
    )
    for inquiry in answered:
        latest.setdefault(inquiry.claim_id, inquiry)
    return latest
