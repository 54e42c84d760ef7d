"""Reads for fieldwork, each checking the user's organization and role."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.clinic.fieldwork.services import may_manage_placement
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role


def placements_for_user(*, user: User) -> QuerySet[FieldworkPlacement]:
    """All placements for staff managers; their own students for an OT or for any educator."""
    rows = FieldworkPlacement.objects.for_org(user.organization_id).select_related(
        "student__user", "educator__user"
    )
    if user_may(user, Capability.MANAGE_STAFF):
        return rows
    # An OTA educating OTA students has no co-sign capability but sees their own placements.
    if user_may(user, Capability.COSIGN) or is_fieldwork_educator(user=user):
        return rows.filter(educator__user=user)
    raise PermissionDenied("your role may not view fieldwork placements")


def is_fieldwork_educator(*, user: User) -> bool:
    """Whether the user is the fieldwork educator of any placement of their organization."""
    if not getattr(user, "organization_id", None):
        return False
    return (
        FieldworkPlacement.objects.for_org(user.organization_id)
        .filter(educator__user=user)
        .exists()
    )


def placement_get_for_user(*, user: User, placement_id: Any) -> FieldworkPlacement:
    """One placement of the user's organization (404 otherwise) that the user may see (403)."""
    placement = (
        FieldworkPlacement.objects.for_org(user.organization_id)
        .select_related("student__user", "educator__user")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise NotFoundForUser("No such placement.")
    if not may_manage_placement(user, placement):
        raise PermissionDenied("your role may not view this student's fieldwork")
    return placement


def students_for_user(*, user: User) -> QuerySet[StaffProfile]:
    return StaffProfile.objects.for_org(user.organization_id).filter(
        user__role=Role.STUDENT, active=True
    )


def educators_for_user(*, user: User) -> QuerySet[StaffProfile]:
    return StaffProfile.objects.for_org(user.organization_id).filter(
        user__role__in=[Role.OT, Role.OTA], active=True
    )
