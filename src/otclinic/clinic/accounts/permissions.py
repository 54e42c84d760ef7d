"""Role checks for views, services and the API, over the domain's permission table."""

import uuid
from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from otclinic.clinic.accounts.models import User
from otclinic.clinic.organizations.models import Organization
from otclinic.domain.access import Capability, role_may
from otclinic.domain.codes import Role


def user_may(user: AbstractBaseUser | AnonymousUser | None, capability: Capability) -> bool:
    if not isinstance(user, User) or not user.is_authenticated or not user.organization_id:
        return False
    role = Role(user.role) if user.role else None
    return role_may(role, capability)


def require(user: AbstractBaseUser | AnonymousUser | None, capability: Capability) -> None:
    """Refuse (403) unless the user's role has the capability."""
    if not user_may(user, capability):
        raise PermissionDenied(f"your role may not {capability.value.replace('_', ' ')}")


def organization_id_of(user: User) -> uuid.UUID:
    """The organization a user works in.

    Everyone but a platform superuser has exactly one (the `user_has_organization_and_role`
    constraint), and the clinic's services serve organization users only: this says so to the
    type checker, in one place.
    """
    return cast(uuid.UUID, user.organization_id)


def organization_of(user: User) -> Organization:
    """The organization row of a user who works in one (see `organization_id_of`)."""
    return cast(Organization, user.organization)
