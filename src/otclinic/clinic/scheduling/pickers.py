"""The calendar's three pickers (clinicians, locations, rooms), cached per organization.

Every view of the calendar lists the organization's clinicians, locations and rooms (160
clinicians at ten times the demo clinic): three queries and their labels on each view, for lists
that change when staff, a location or a room is added, renamed or deactivated. They are kept in
Django's cache under the organization's `PickerVersion`, a token that every write to what they
list replaces in the writer's own transaction:

- model signals on users (unless the save names only fields the pickers do not show, such as a
  sign-in's `last_login`), staff profiles, locations, rooms and locations' hours, saved or
  deleted, and on a clinician's locations (`StaffProfile.clinics`);
- `QuerySet.update` and `bulk_update` of those, through the hook the audit trail uses
  (`common.models.update_listeners`).

Besides the pickers' choices the cache holds what the grid's columns need of the same rows
(each room's location, each clinician's locations, each location's hours), so a side-by-side
day reads its page of columns and its slots from it too.

A view reads the token first and the rows after it, so rows read across a concurrent write are
at worst newer than their token, never older. A write no signal sees (raw SQL, `bulk_create`,
`User.objects.update`) shows after `PICKER_SECONDS` at the latest. The pickers only draw the
choices: the form still checks a chosen id against the database, so a stale entry is refused,
never used.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from otclinic.clinic.common import models as common_models
from otclinic.clinic.common.ordering import natural_key
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.scheduling import selectors_calendar as sel
from otclinic.clinic.scheduling import selectors_grid as grids
from otclinic.clinic.scheduling.models import ClinicHours, PickerVersion, Room
from otclinic.clinic.staff.models import StaffProfile, staff_label
from otclinic.domain.scheduling.grid import ClinicHours as Hours

PICKER_SECONDS = 3600  # how long a write that no signal sees can stay unseen
NO_HOURS = (None, None, None)  # a location that has set none: the default hours
LISTED = (StaffProfile, Clinic, Room, ClinicHours)  # saved, deleted or updated in bulk
USER_FIELDS = frozenset({"first_name", "last_name", "username", "role", "organization"})


class Pickers(NamedTuple):
    """Each picker's (id, label) pairs, in the order shown, and what the calendar needs of
    them besides: a clinician's profile by their login, each room's location, each clinician's
    locations, each location's hours (when it has set them). Ids are strings."""

    clinicians: list[tuple[str, str]]
    profiles: dict[str, str]  # a listed clinician's user id: their staff profile's id
    clinics: list[tuple[str, str]]
    rooms: list[tuple[str, str]]
    room_clinic: dict[str, str]
    places: dict[str, list[str]]
    hours: dict[str, tuple[dt.time, dt.time, int]]

    def hours_of(self, clinic_ids: Iterable[Any]) -> Hours:
        """The widest hours of these locations; the default hours for one that has set none."""
        return grids.widest_hours(self.hours.get(str(pk), NO_HOURS) for pk in set(clinic_ids))

    def places_of(self, clinician_ids: Iterable[Any]) -> tuple[dict[Any, str], Hours]:
        """Each clinician's location, for those assigned to exactly one (to pre-fill booking),
        and the widest hours of all their locations."""
        found = {pk: self.places.get(str(pk), []) for pk in clinician_ids}
        only = {pk: ids[0] for pk, ids in found.items() if len(ids) == 1}
        every = [self.hours.get(c, NO_HOURS) for ids in found.values() for c in ids]
        return only, grids.widest_hours(every)


def pickers_for_user(*, user: Any) -> Pickers:
    """The pickers of the user's organization: one query for its token, and five more when
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
    pickers = _read(user)
    cache.set(key, pickers, PICKER_SECONDS)
    return pickers


def _read(user: Any) -> Pickers:
    rooms = sel.rooms_for_user(user=user).values_list("pk", "clinic_id", "clinic__name", "name")
    # Each location's rooms in the order people number them ("Treatment 2" before "Treatment 10").
    ordered = sorted(rooms, key=lambda row: (row[2], natural_key(row[3])))
    room_rows = [
        (str(pk), str(clinic), sel.room_label(clinic_name=at, room_name=name))
        for pk, clinic, at, name in ordered
    ]
    places: dict[str, list[str]] = defaultdict(list)
    assigned = StaffProfile.clinics.through.objects.filter(
        staffprofile__organization_id=user.organization_id
    )
    for clinician, clinic in assigned.values_list("staffprofile_id", "clinic_id"):
        places[str(clinician)].append(str(clinic))
    hours = ClinicHours.objects.for_org(user.organization_id).values_list(
        "clinic_id", "opens", "closes", "slot_minutes"
    )
    clinicians = sel.clinicians_for_user(user=user).values_list(
        "pk", "user_id", "user__first_name", "user__last_name", "user__username", "credentials"
    )
    clinician_rows = [
        (
            str(pk),
            str(user_id),
            staff_label(first_name=first, last_name=last, username=login, credentials=cred),
        )
        for pk, user_id, first, last, login, cred in clinicians
    ]
    locations = sel.clinics_for_user(user=user).values_list("pk", "name")
    return Pickers(
        clinicians=[(pk, label) for pk, _, label in clinician_rows],
        profiles={user_id: pk for pk, user_id, _ in clinician_rows},
        clinics=[(str(pk), name) for pk, name in locations],
        rooms=[(pk, label) for pk, _, label in room_rows],
        room_clinic={pk: clinic for pk, clinic, _ in room_rows},
        places=dict(places),
        hours={str(clinic): (opens, closes, slot) for clinic, opens, closes, slot in hours},
    )


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


def _on_assignment(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """A clinician given or taken a location (either side of `StaffProfile.clinics`)."""
    if action in ("post_add", "post_remove", "post_clear"):
        pickers_changed(organization_id=instance.organization_id)


def _on_bulk_update(*, model: type[Model], rows: list[tuple[Any, Any]], fields: list[str]) -> None:
    if model in LISTED:
        for organization_id in {org for _, org in rows}:
            pickers_changed(organization_id=organization_id)


def connect() -> None:
    """Register the new tokens (called once, from the scheduling app's `ready()`)."""
    for signal in (post_save, post_delete):
        for model in LISTED:
            signal.connect(_on_row, sender=model, dispatch_uid=f"pickers_{model.__name__}")
        signal.connect(_on_user, sender=get_user_model(), dispatch_uid="pickers_user")
    m2m_changed.connect(
        _on_assignment, sender=StaffProfile.clinics.through, dispatch_uid="pickers_places"
    )
    if _on_bulk_update not in common_models.update_listeners:
        common_models.update_listeners.append(_on_bulk_update)
