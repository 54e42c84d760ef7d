"""Reads of payers and coverage, always through the user's organization.

Another organization's payer or coverage is answered exactly like one that does not exist (404).
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.domain.access import Capability


def payers_for_user(*, user: Any) -> QuerySet[Payer]:
    """The active payers of the user's organization; staff only."""
    require(user, Capability.VIEW_CHART)
    return Payer.objects.for_org(user.organization_id).filter(active=True)


def coverages_for_user(*, user: Any) -> QuerySet[Coverage]:
    """Every coverage of the user's organization; staff only."""
    require(user, Capability.VIEW_CHART)
    return Coverage.objects.for_org(user.organization_id).select_related("payer", "patient")


def coverage_get_for_user(*, user: Any, coverage_id: uuid.UUID | str) -> Coverage:
    """One coverage of the user's organization, or 404."""
    try:
        return coverages_for_user(user=user).get(pk=coverage_id)
    except (Coverage.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such coverage") from exc
