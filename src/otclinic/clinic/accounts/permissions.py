"""Role checks for views, services and the API, over the domain's permission table."""

from typing import Any

from django.core.exceptions import PermissionDenied

from otclinic.domain.access import Capability, role_may
from otclinic.domain.codes import Role


def user_may(user: Any, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organization_id", None):
        return False
    role = Role(user.role) if user.role else None
    return role_may(role, capability)


def require(user: Any, capability: Capability) -> None:
    """Refuse (403) unless the user's role has the capability."""
    if not user_may(user, capability):
        raise PermissionDenied(f"your role may not {capability.value.replace('_', ' ')}")
