"""Reads of referring physicians, always through the user's organization.

Another organization's physician is answered exactly like one that does not exist (404).
"""

import uuid

from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.domain.access import Capability


def physicians_for_user(*, user: User) -> QuerySet[ReferringPhysician]:
    """The referring physicians on file at the user's organization; staff only."""
    require(user, Capability.VIEW_CHART)
    return ReferringPhysician.objects.for_org(user.organization_id)


def physician_get_for_user(*, user: User, physician_id: uuid.UUID | str) -> ReferringPhysician:
    """One referring physician of the user's organization, or 404."""
    try:
        return physicians_for_user(user=user).get(pk=physician_id)
    except (ReferringPhysician.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such referring physician") from exc
