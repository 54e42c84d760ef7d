"""Who is acting, for the audit trail: set per request by the middleware, or by a service."""

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    role: str
    organization_id: uuid.UUID | None
    ip_address: str | None
    # What the actor acts through, when not the pages ("by SMART client <client_id>"): the
    # detail of each entry recorded without one of its own.
    via: str = ""


SYSTEM = Actor(user_id=None, role="system", organization_id=None, ip_address=None)
_current: ContextVar[Actor] = ContextVar("otclinic_audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def actor_for_user(
    user: AbstractBaseUser | AnonymousUser | None, ip_address: str | None = None
) -> Actor:
    if user is None or not user.is_authenticated:
        return Actor(None, "anonymous", None, ip_address)
    return Actor(
        user_id=user.pk,
        role=getattr(user, "role", "")
        or ("superuser" if getattr(user, "is_superuser", False) else ""),
        organization_id=getattr(user, "organization_id", None),
        ip_address=ip_address,
    )


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Run a block with `actor` as the one the audit trail records."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_adopt(
    user: AbstractBaseUser | AnonymousUser | None, ip_address: str | None, *, via: str = ""
) -> None:
    """Make `user` the actor for the rest of this request: for a login that only the view
    learns (the API's bearer token or HTTP basic; `via` names a SMART client). The audit
    middleware restores the outer actor when the request ends."""
    actor = actor_for_user(user, ip_address)
    _current.set(Actor(actor.user_id, actor.role, actor.organization_id, ip_address, via))
