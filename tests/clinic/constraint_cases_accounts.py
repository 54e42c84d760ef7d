"""Constraint cases for the accounts' invitations and outgoing emails (collected by
test_constraints.py)."""

import datetime as dt
import uuid
from collections.abc import Callable

from otclinic.clinic.accounts.models import ApiToken, Invitation, OutboundEmail, User
from tests.clinic import factories as f

Case = Callable[[bool], object]
MADE = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)


def _invitation(user: User | None = None, **fields: object) -> Invitation:
    login = user or f.staff_user(organization=f.OrganizationFactory(), role="OTA")
    values = {
        "organization": login.organization,
        "user": login,
        "digest": uuid.uuid4().hex,
        "created_at": MADE,
        "expires_at": MADE + dt.timedelta(days=3),
        **fields,
    }
    return Invitation.objects.create(**values)


def invitation_expires_after_it_is_made(bad: bool) -> object:
    return _invitation(expires_at=MADE if bad else MADE + dt.timedelta(minutes=1))


def invitation_one_open_per_user(bad: bool) -> object:
    first = _invitation()
    return _invitation(first.user, superseded_at=None if bad else MADE)


def outbound_email_status_known(bad: bool) -> object:
    return OutboundEmail.objects.create(
        to=["a@example.org"], subject="Hello", status="bounced" if bad else "sent"
    )


ACCOUNTS_CASES: list[tuple[str, Case]] = [
    ("invitation_expires_after_it_is_made", invitation_expires_after_it_is_made),
    ("invitation_one_open_per_user", invitation_one_open_per_user),
    ("outbound_email_status_known", outbound_email_status_known),
]


def api_token_expires_after_it_is_made(bad: bool) -> object:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    # Made now (the suite's clock); expiring long before it, or long after.
    expires = (
        dt.datetime(2000, 1, 1, tzinfo=dt.UTC) if bad else dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    )
    return ApiToken.objects.create(
        organization=user.organization,
        user=user,
        name="reporting",
        prefix=uuid.uuid4().hex[:12],
        digest=uuid.uuid4().hex,
        scopes=["read"],
        expires_at=expires,
    )


ACCOUNTS_CASES.append(("api_token_expires_after_it_is_made", api_token_expires_after_it_is_made))
