"""Reads for the clearinghouse page and the claims' payer status, through the user's
organization."""

from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.clearinghouse.models import ClaimStatusInquiry, Direction, ExchangeFile
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.payers.models import Payer
from otclinic.domain.access import Capability


def exchange_files_for_user(*, user: Any, direction: str) -> QuerySet[ExchangeFile]:
    require(user, Capability.MANAGE_BILLING)
    return (
        ExchangeFile.objects.for_org(user.organization_id)
        .filter(direction=direction)
        .select_related("payer")
    )


def exchange_file_get_for_user(*, user: Any, file_id: Any) -> ExchangeFile:
    try:
        return exchange_files_for_user(user=user, direction=Direction.OUT).get(pk=file_id)
    except ExchangeFile.DoesNotExist:
        try:
            return exchange_files_for_user(user=user, direction=Direction.IN).get(pk=file_id)
        except ExchangeFile.DoesNotExist as exc:
            raise NotFoundForUser("no such file") from exc


def payers_with_connections(*, user: Any) -> QuerySet[Payer]:
    require(user, Capability.MANAGE_BILLING)
    return (
        Payer.objects.for_org(user.organization_id)
        .filter(active=True)
        .select_related("connection")
        .order_by("name")
    )


def payer_get_for_user(*, user: Any, payer_id: Any) -> Payer:
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
