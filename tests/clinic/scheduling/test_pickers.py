"""The calendar's pickers come from the cache, and every kind of write to what they list shows
on the next view (scheduling/pickers.py)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.scheduling.models import PickerVersion, Room
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.staff.services_admin import staff_set_active
from tests.clinic import factories as f
from tests.clinic.scheduling.test_pages_calendar import _picker

pytestmark = pytest.mark.django_db

DAY = "/schedule/?day=2026-06-01"


def _labels(client: Client, name: str) -> list[str]:
    return [label for _, _, label in _picker(client.get(DAY).content.decode(), name)]


def _version(org: Any) -> Any:
    return PickerVersion.objects.filter(organization=org).values_list("version", flat=True).first()


def test_a_second_view_reads_the_pickers_from_the_cache(
    desk_client: Client, plan_episode: Any
) -> None:
    desk_client.get(DAY)
    with CaptureQueriesContext(connection) as first:
        desk_client.get(DAY)
    sql = [q["sql"] for q in first.captured_queries]
    assert not any('"organizations_clinic"."name" AS "name" FROM' in s for s in sql)
    assert not any('AS "clinic__name", "scheduling_room"."name"' in s for s in sql)
    assert sum("scheduling_pickerversion" in s for s in sql) == 1


def _add_clinician(episode: Any) -> str:
    f.StaffProfileFactory(
        user__organization=episode.organization, user__role="PT", user__last_name="Zyzzyva"
    )
    return "Zyzzyva"


def _rename_clinician(episode: Any) -> str:
    user = episode.therapist.user
    user.last_name = "Renamed"
    user.save(update_fields=["last_name"])
    return "Renamed"


def _add_room(episode: Any) -> str:
    Room.objects.create(organization=episode.organization, clinic=episode.clinic, name="Annex")
    return f"{episode.clinic.name}: Annex"


def _rename_location_in_bulk(episode: Any) -> str:
    Clinic.objects.filter(pk=episode.clinic_id).update(name="Northside")
    return "Northside"


WRITES: list[Callable[[Any], str]] = [
    _add_clinician,
    _rename_clinician,
    _add_room,
    _rename_location_in_bulk,
]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_a_write_shows_on_the_next_view(
    desk_client: Client, plan_episode: Any, write: Callable[[Any], str]
) -> None:
    before = [*_labels(desk_client, "clinician"), *_labels(desk_client, "clinic")]
    before += _labels(desk_client, "room")
    shown = write(plan_episode)
    assert not any(shown in label for label in before)
    after = [*_labels(desk_client, "clinician"), *_labels(desk_client, "clinic")]
    after += _labels(desk_client, "room")
    assert any(shown in label for label in after)


def test_a_clinician_deactivated_or_deleted_leaves_the_picker(
    desk_client: Client, plan_episode: Any
) -> None:
    org = plan_episode.organization
    admin = f.staff_user(organization=org, role="clinic_admin")
    gone = f.StaffProfileFactory(user__organization=org, user__role="OT")
    bulk = f.StaffProfileFactory(user__organization=org, user__role="SLP")
    deleted = f.StaffProfileFactory(user__organization=org, user__role="PTA")
    labels = {str(s) for s in (gone, bulk, deleted)}
    assert labels <= set(_labels(desk_client, "clinician"))
    staff_set_active(user=admin, staff=gone, active=False)
    StaffProfile.objects.filter(pk=bulk.pk).update(active=False)
    deleted.delete()
    assert not labels & set(_labels(desk_client, "clinician"))


def test_a_sign_in_keeps_the_pickers_and_another_organizations_write_too(
    plan_episode: Any,
) -> None:
    org = plan_episode.organization
    f.StaffProfileFactory(user__organization=org, user__role="OT")
    version = _version(org)
    assert version is not None
    user = plan_episode.therapist.user
    Client().force_login(user)  # saves last_login only
    f.StaffProfileFactory(user__role="OT")  # another organization's clinician
    assert _version(org) == version
    Room.objects.create(organization=org, clinic=plan_episode.clinic, name="Quiet room")
    assert _version(org) != version


def test_a_write_that_rolls_back_leaves_the_pickers_as_they_were(
    desk_client: Client, plan_episode: Any
) -> None:
    desk_client.get(DAY)
    version = _version(plan_episode.organization)

    @transaction.atomic
    def add_then_fail() -> None:
        _add_room(plan_episode)
        raise RuntimeError

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert _version(plan_episode.organization) == version
    assert f"{plan_episode.clinic.name}: Annex" not in _labels(desk_client, "room")


def test_numbered_rooms_are_listed_in_number_order(desk_client: Client, plan_episode: Any) -> None:
    clinic = plan_episode.clinic
    for name in ("Treatment 10", "Treatment 2", "treatment 1", "Gym"):
        Room.objects.create(organization=plan_episode.organization, clinic=clinic, name=name)
    labels = [label for label in _labels(desk_client, "room") if label.startswith(clinic.name)]
    named = [label.removeprefix(f"{clinic.name}: ") for label in labels]
    ours = [n for n in named if n in {"Treatment 10", "Treatment 2", "treatment 1", "Gym"}]
    assert ours == ["Gym", "treatment 1", "Treatment 2", "Treatment 10"]
