"""Reads of payers and coverage, always through the user's organization.

Another organization's payer or coverage is answered exactly like one that does not exist (404).
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.payers.models import Coverage, Payer, PayerConnection
from otclinic.domain.access import Capability


def payers_for_user(*, user: User) -> QuerySet[Payer]:
    """The active payers of the user's organization; staff only."""
    require(user, Capability.VIEW_CHART)
    return Payer.objects.for_org(user.organization_id).filter(active=True)


def coverages_for_user(*, user: User) -> QuerySet[Coverage]:
    """Every coverage of the user's organization; staff only."""
    require(user, Capability.VIEW_CHART)
    return Coverage.objects.for_org(user.organization_id).select_related("payer", "patient")


def coverage_get_for_user(*, user: User, coverage_id: uuid.UUID | str) -> Coverage:
    """One coverage of the user's organization, or 404."""
    try:
        return coverages_for_user(user=user).get(pk=coverage_id)
    except (Coverage.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such coverage") from exc


def connection_of(payer: Payer) -> PayerConnection | None:
    """The payer's clearinghouse settings, or None when it has none."""
    try:
        return payer.connection
    except PayerConnection.DoesNotExist:
        return None


def exchange_ids(org: Any, payer: Payer) -> tuple[str, str]:
    """The sender and receiver ids of a file to `payer` (ISA06/GS02, ISA08/GS03): the payer's
    clearinghouse settings when they give them, else the clinic's NPI (or tax id) and the payer
    id."""
    connection = connection_of(payer)
    sender = (connection.submitter_id if connection else "") or org.npi or org.tax_id
    receiver = (connection.receiver_id if connection else "") or payer.payer_id
    return sender, receiver
