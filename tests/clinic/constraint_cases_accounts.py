"""Constraint cases for the accounts' invitations and outgoing emails (collected by
test_constraints.py)."""

import datetime as dt
import uuid
from collections.abc import Callable

from otclinic.clinic.accounts.models import Invitation, OutboundEmail, User
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
