"""The calendar's three pickers (clinicians, locations, rooms), cached per organization.

Every view of the calendar lists the organization's clinicians, locations and rooms (160
clinicians at ten times the demo clinic): three queries and their labels on each view, for lists
that change when staff, a location or a room is added, renamed or deactivated. They are kept in
Django's cache under the organization's `PickerVersion`, a token that every write to what they
list replaces in the writer's own transaction:

- model signals on users (unless the save names only fields the pickers do not show, such as a
  sign-in's `last_login`), staff profiles, locations and rooms, saved or deleted;
- `QuerySet.update` and `bulk_update` of staff profiles, locations and rooms, through the hook
  the audit trail uses (`common.models.update_listeners`).

A view reads the token first and the rows after it, so rows read across a concurrent write are
at worst newer than their token, never older. A write no signal sees (raw SQL, `bulk_create`,
`User.objects.update`) shows after `PICKER_SECONDS` at the latest. The pickers only draw the
choices: the form still checks a chosen id against the database, so a stale entry is refused,
never used.
"""

import uuid
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from otclinic.clinic.common import models as common_models
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling.models import PickerVersion, Room
from otclinic.clinic.staff.models import StaffProfile

PICKER_SECONDS = 3600  # how long a write that no signal sees can stay unseen
USER_FIELDS = frozenset({"first_name", "last_name", "username", "role", "organization"})


class Pickers(NamedTuple):
    """Each picker's (id, label) pairs, in the order shown."""

    clinicians: list[tuple[str, str]]
    clinics: list[tuple[str, str]]
    rooms: list[tuple[str, str]]


def pickers_for_user(*, user: Any) -> Pickers:
    """The pickers of the user's organization: one query for its token, and three more when
    the cache does not hold them for that token."""
    organization_id = user.organization_id
    version = (
        PickerVersion.objects.filter(organization_id=organization_id)
        .values_list("version", flat=True)
        .first()
    )
    key = f"scheduling:pickers:{organization_id}:{version}"
    found = cache.get(key)
    if isinstance(found, Pickers):
        return found
    pickers = Pickers(
        clinicians=sel.clinician_picker_for_user(user=user),
        clinics=sel.clinic_picker_for_user(user=user),
        rooms=sel.room_picker_for_user(user=user),
    )
    cache.set(key, pickers, PICKER_SECONDS)
    return pickers


def pickers_changed(*, organization_id: Any) -> None:
    """Give the organization's pickers a new token, in the caller's transaction."""
    if organization_id is None:
        return  # a platform superuser: on no organization's calendar
    PickerVersion.objects.bulk_create(
        [PickerVersion(organization_id=organization_id, version=uuid.uuid4())],
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=["version"],
    )


# --- the writes that change the pickers ------------------------------------------------------------


def _on_row(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    pickers_changed(organization_id=instance.organization_id)


def _on_user(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and not USER_FIELDS & set(fields):
        return  # a sign-in saves `last_login` only
    pickers_changed(organization_id=instance.organization_id)


def _on_bulk_update(*, model: type[Model], rows: list[tuple[Any, Any]], fields: list[str]) -> None:
    if model in (StaffProfile, Clinic, Room):
        for organization_id in {org for _, org in rows}:
            pickers_changed(organization_id=organization_id)


def connect() -> None:
    """Register the new tokens (called once, from the scheduling app's `ready()`)."""
    for signal in (post_save, post_delete):
        for model in (StaffProfile, Clinic, Room):
            signal.connect(_on_row, sender=model, dispatch_uid=f"pickers_{model.__name__}")
        signal.connect(_on_user, sender=get_user_model(), dispatch_uid="pickers_user")
    if _on_bulk_update not in common_models.update_listeners:
        common_models.update_listeners.append(_on_bulk_update)
