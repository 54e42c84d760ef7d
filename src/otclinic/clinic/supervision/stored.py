"""Each OTA's supervision status, stored, and never shown once it could be out of date.

The supervision dashboard sorts the OTAs overdue first, which needs every OTA's answer; judging
all of them on each view read two months of every OTA's appointments each time. Instead the
answer is kept in `StoredSupervisionStatus`, one row per OTA, valid while three keys hold:

- `facts_version`: raised in the same transaction as every write to what the answer reads
  (`adapters.ota_facts_of`): the OTA's contacts, plans and timesheet hours, the OTA's profile
  and clinics, the OTA's appointments, the coverage and payer of the episodes they are booked
  on, the clinics' state and setting, a user's role. The model signals and the bulk-update hook
  below do it, so no service can forget; a write that rolls back rolls the raise back with it.
- `computed_for`: the clinic date it was computed for. The answer moves with the date (a
  contact falls due, a month ends), so an answer of yesterday is stale.
- `rules_version`: a digest of the engine's code and rule files, so a release that changes a
  rule recomputes every answer.

A row that fails any key is recomputed when it is next read (`make_current`), from the facts
read afresh, and stored only if `facts_version` is still the one read before those facts were:
a write that commits while the answer is being computed raises the version, the conditional
store finds no row, and the next view computes again. The daily job (`refresh_all`, also
`otclinic supervision refresh`) computes the day's answers early so that the first view of the
day does not pay for them.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from otclinic.clinic.care.models import Episode
from otclinic.clinic.common import models as common_models
from otclinic.clinic.common.digests import files_digest
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision import adapters
from otclinic.clinic.supervision.models import (
    MonthlyHours,
    StoredSupervisionStatus,
    SupervisionContact,
    SupervisionPlan,
)
from otclinic.domain.codes import Role
from otclinic.domain.compliance import supervision_contacts
from otclinic.domain.compliance.supervision_contacts import supervision_status
from otclinic.domain.compliance.supervision_facts import (
    SupervisionStatus,
    status_as_json,
    status_from_json,
)

# --- what makes a stored answer stale --------------------------------------------------------------

# Rows of one OTA, each naming them in `ota`: a write to one changes that OTA's answer.
OTA_RECORDS: tuple[type[Model], ...] = (SupervisionContact, SupervisionPlan, MonthlyHours)
# What the answer reads of an appointment (its clinician's work contexts and hours).
APPOINTMENT_FIELDS = frozenset(
    {"clinician", "clinician_id", "clinic", "clinic_id", "episode", "episode_id"}
    | {"status", "starts_at", "ends_at"}
)
# What it reads of an OTA's profile, and of an episode.
PROFILE_FIELDS = frozenset({"practice_started_on", "created_at", "organization"})
EPISODE_FIELDS = frozenset({"coverage", "coverage_id"})


@functools.cache
def rules_version() -> str:
    """A digest of the engine's code and rule files: a release that changes any of them makes
    every stored answer stale."""
    compliance = Path(supervision_contacts.__file__).parent
    return files_digest(
        [
            *sorted(compliance.glob("supervision_*.py")),
            compliance / "findings.py",
            compliance.parent / "rules" / "supervision_packs.yaml",
            Path(adapters.__file__),
            Path(__file__),
        ]
    )


def invalidate_otas(ota_ids: Iterable[Any]) -> None:
    """Make the stored answers of these staff (those who are OTAs) stale, in the caller's
    transaction.

    A row is made first for an OTA who has none, so that a reader computing their first answer
    concurrently (which read the version before the facts) cannot store it.
    """
    ids = [pk for pk in dict.fromkeys(ota_ids) if pk is not None]
    if not ids:
        return
    otas = StaffProfile.objects.filter(pk__in=ids, user__role=Role.OTA).values_list(
        "pk", "organization_id"
    )
    rows = [StoredSupervisionStatus(ota_id=pk, organization_id=org) for pk, org in otas]
    if not rows:
        return
    StoredSupervisionStatus.objects.bulk_create(rows, ignore_conflicts=True)
    _raise_versions(StoredSupervisionStatus.objects.filter(ota_id__in=[r.ota_id for r in rows]))


def invalidate_organization(*, organization_id: Any) -> None:
    """Make every stored answer of an organization stale (a clinic's state or setting or a
    payer's plan kind changed: rare writes that can change the answer of many OTAs)."""
    _raise_versions(StoredSupervisionStatus.objects.filter(organization_id=organization_id))


def _raise_versions(rows: QuerySet[StoredSupervisionStatus]) -> None:
    rows.update(facts_version=F("facts_version") + 1, computed_for=None, result=None)


def _booked_otas(episodes: Q) -> list[Any]:
    """The OTAs with an appointment on the episodes `episodes` selects."""
    return list(
        Appointment.objects.filter(episodes, clinician__user__role=Role.OTA)
        .values_list("clinician_id", flat=True)
        .order_by()
        .distinct()
    )


# --- reading the answers ---------------------------------------------------------------------------


def _current(computed_for: dt.date | None, rules: str | None, as_of: dt.date) -> bool:
    return computed_for == as_of and rules == rules_version()


def make_current(otas: QuerySet[StaffProfile], *, as_of: dt.date) -> int:
    """Make the stored answer of every OTA in `otas` current for `as_of` (computing the stale
    ones), so that they can be read, sorted and paged in SQL. Returns how many OTAs there are.

    The versions are read first, then (for the stale ones) the facts: a write committed in
    between raises the version, and the answer computed from older facts is not stored."""
    keys = list(
        otas.values_list(
            "pk",
            "organization_id",
            "stored_supervision__facts_version",
            "stored_supervision__computed_for",
            "stored_supervision__rules_version",
        ).order_by()
    )
    missing = [(pk, org) for pk, org, version, _, _ in keys if version is None]
    versions = {pk: version for pk, _, version, _, _ in keys if version is not None}
    if missing:
        StoredSupervisionStatus.objects.bulk_create(
            [StoredSupervisionStatus(ota_id=pk, organization_id=org) for pk, org in missing],
            ignore_conflicts=True,
        )
        made = StoredSupervisionStatus.objects.filter(ota_id__in=[pk for pk, _ in missing])
        versions.update(made.values_list("ota_id", "facts_version"))
    stale = [pk for pk, _, _, computed, rules in keys if not _current(computed, rules, as_of)]
    if stale:
        _recompute({pk: versions[pk] for pk in stale}, as_of=as_of)
    return len(keys)


# The columns `status_of` reads of an OTA's stored answer, with the OTA
# (`select_related("stored_supervision")`).
READ_FIELDS = (
    "stored_supervision__computed_for",
    "stored_supervision__rules_version",
    "stored_supervision__result",
)


def status_of(ota: StaffProfile, *, as_of: dt.date) -> SupervisionStatus:
    """One OTA's answer on `as_of`: the stored one read with `ota` (`READ_FIELDS`) when it is
    current, no further query; else made current now (`make_current`) and read again, or,
    when a write made it stale in between, judged from the facts as they are now."""
    kept = getattr(ota, "stored_supervision", None)  # None: no row yet
    if (
        kept is not None
        and kept.result is not None
        and _current(kept.computed_for, kept.rules_version, as_of)
    ):
        return status_from_json(kept.result)
    make_current(StaffProfile.objects.filter(pk=ota.pk), as_of=as_of)
    row = StoredSupervisionStatus.objects.filter(ota_id=ota.pk).values_list(
        "computed_for", "rules_version", "result"
    )
    computed_for, rules, result = row.first() or (None, None, None)
    if result is not None and _current(computed_for, rules, as_of):
        return status_from_json(result)
    return supervision_status(adapters.ota_facts(ota, as_of), as_of=as_of)


# What the engine's facts read of an OTA (adapters.ota_facts_of).
FACT_FIELDS = ("id", "organization_id", "practice_started_on", "created_at")


def _recompute(versions: dict[Any, int], *, as_of: dt.date) -> None:
    """Each OTA's answer from their facts, read now (after the versions), stored unless a
    write has raised the version since."""
    otas = list(StaffProfile.objects.filter(pk__in=list(versions)).only(*FACT_FIELDS))
    facts = adapters.ota_facts_of(otas, as_of)
    statuses = {ota.pk: supervision_status(facts[ota.pk], as_of=as_of) for ota in otas}
    now = timezone.now()
    with transaction.atomic():  # one commit for the lot, not one per OTA
        for pk, status in statuses.items():
            StoredSupervisionStatus.objects.filter(ota_id=pk, facts_version=versions[pk]).update(
                computed_for=as_of,
                computed_at=now,
                rules_version=rules_version(),
                overdue=status.overdue,
                next_due=status.next_due,
                result=status_as_json(status),
            )


def refresh_all(*, as_of: dt.date, every: bool = False) -> int:
    """Compute the answers of every active OTA that has none current for `as_of` (the daily
    job, so that the first views of the day read stored answers), or with `every` of all of
    them, current or not (after a write that no signal saw: raw SQL, `bulk_create`). Returns
    how many OTAs."""
    done = 0
    for organization_id in (
        StaffProfile.objects.filter(user__role=Role.OTA, active=True)
        .values_list("organization_id", flat=True)
        .order_by()
        .distinct()
    ):
        otas = StaffProfile.objects.for_org(organization_id).filter(
            user__role=Role.OTA, active=True
        )
        if every:
            invalidate_organization(organization_id=organization_id)
        done += make_current(otas, as_of=as_of)
    return done


# --- the writes that make answers stale ------------------------------------------------------------


def _touches(fields: Iterable[str] | None, relevant: frozenset[str]) -> bool:
    """Whether a save of `fields` (None: every field) can change what the answer reads."""
    return fields is None or not relevant.isdisjoint(fields)


def _on_ota_record(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    invalidate_otas([instance.ota_id])


def _before_appointment(sender: type[Model], instance: Appointment, **kwargs: Any) -> None:
    """A save that may move an appointment to another clinician changes the first one's
    answer too: remember who had it."""
    fields = kwargs.get("update_fields")
    if instance._state.adding or not _touches(fields, frozenset({"clinician", "clinician_id"})):
        return
    was = Appointment.objects.filter(pk=instance.pk).values_list("clinician_id", flat=True)
    instance._supervision_was = was.first()  # type: ignore[attr-defined]


def _on_appointment(sender: type[Model], instance: Appointment, **kwargs: Any) -> None:
    if not _touches(kwargs.get("update_fields"), APPOINTMENT_FIELDS):
        return
    invalidate_otas([instance.clinician_id, getattr(instance, "_supervision_was", None)])


def _on_profile(sender: type[Model], instance: StaffProfile, **kwargs: Any) -> None:
    if kwargs.get("signal") is post_save and _touches(kwargs.get("update_fields"), PROFILE_FIELDS):
        invalidate_otas([instance.pk])


def _on_clinics(sender: type[Model], instance: Any, action: str, **kwargs: Any) -> None:
    """An OTA assigned to a clinic, or taken off one (from either side of the relation)."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, StaffProfile):
        invalidate_otas([instance.pk])
    elif action == "post_clear":
        invalidate_organization(organization_id=instance.organization_id)
    else:
        invalidate_otas(kwargs.get("pk_set") or ())


def _on_episode(sender: type[Model], instance: Episode, **kwargs: Any) -> None:
    if kwargs.get("created") or not _touches(kwargs.get("update_fields"), EPISODE_FIELDS):
        return
    invalidate_otas(_booked_otas(Q(episode_id=instance.pk)))


def _on_coverage(sender: type[Model], instance: Coverage, **kwargs: Any) -> None:
    if not kwargs.get("created"):
        invalidate_otas(_booked_otas(Q(episode__coverage_id=instance.pk)))


def _on_organization_wide(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A clinic's state or setting, or a payer's plan kind: rare, and read for many OTAs."""
    if not kwargs.get("created"):
        invalidate_organization(organization_id=instance.organization_id)


def _on_user(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A user's role decides whether they are judged as an OTA; a sign-in (which saves only
    `last_login`) changes nothing."""
    fields = kwargs.get("update_fields")
    if kwargs.get("created") or (fields is not None and "role" not in fields):
        return
    invalidate_otas(StaffProfile.objects.filter(user=instance).values_list("pk", flat=True))


def _on_bulk_update(*, model: type[Model], rows: list[tuple[Any, Any]], fields: list[str]) -> None:
    """`QuerySet.update` of tenant rows sends no per-row signal: the same rules, for its rows."""
    ids = [pk for pk, _ in rows]
    if model in OTA_RECORDS:
        invalidate_otas(model._default_manager.filter(pk__in=ids).values_list("ota_id", flat=True))
    elif model is Appointment and _touches(fields, APPOINTMENT_FIELDS):
        # The rows' clinicians after the update; one moved away by it is not known here, so
        # an update of the clinician makes the whole organization's answers stale.
        if _touches(fields, frozenset({"clinician", "clinician_id"})):
            for org in {org for _, org in rows}:
                invalidate_organization(organization_id=org)
        invalidate_otas(
            Appointment.objects.filter(pk__in=ids).values_list("clinician_id", flat=True)
        )
    elif model is StaffProfile and _touches(fields, PROFILE_FIELDS):
        invalidate_otas(ids)
    elif model is Episode and _touches(fields, EPISODE_FIELDS):
        invalidate_otas(_booked_otas(Q(episode_id__in=ids)))
    elif model is Coverage:
        invalidate_otas(_booked_otas(Q(episode__coverage_id__in=ids)))
    elif model in (Clinic, Payer):
        for org in {org for _, org in rows}:
            invalidate_organization(organization_id=org)


def connect() -> None:
    """Register the invalidations (called once, from the supervision app's `ready()`)."""
    for signal in (post_save, post_delete):
        for model in OTA_RECORDS:
            signal.connect(
                _on_ota_record, sender=model, dispatch_uid=f"supervision_{model.__name__}"
            )
        signal.connect(_on_appointment, sender=Appointment, dispatch_uid="supervision_appt")
        signal.connect(_on_profile, sender=StaffProfile, dispatch_uid="supervision_profile")
        signal.connect(_on_episode, sender=Episode, dispatch_uid="supervision_episode")
        signal.connect(_on_coverage, sender=Coverage, dispatch_uid="supervision_coverage")
        for model in (Clinic, Payer):
            signal.connect(
                _on_organization_wide, sender=model, dispatch_uid=f"supervision_{model.__name__}"
            )
    pre_save.connect(_before_appointment, sender=Appointment, dispatch_uid="supervision_appt")
    m2m_changed.connect(
        _on_clinics, sender=StaffProfile.clinics.through, dispatch_uid="supervision_clinics"
    )
    post_save.connect(_on_user, sender=get_user_model(), dispatch_uid="supervision_user")
    if _on_bulk_update not in common_models.update_listeners:
        common_models.update_listeners.append(_on_bulk_update)
