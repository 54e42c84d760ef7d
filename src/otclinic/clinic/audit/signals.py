"""Record every create, change and delete of a tenant's rows, from any code path.

Services, the admin and the shell all pass through the model's save and delete, so the trail
does not depend on each caller remembering. Bulk operations (the demo seed) record one entry of
their own.
"""

import uuid
from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

from otclinic.clinic.audit.context import actor_for_user, current_actor
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_bulk, audit_record
from otclinic.clinic.common import models as common_models
from otclinic.clinic.common.models import OrgOwned

_SKIP_FIELDS = {"updated_at", "created_at", "last_login", "password"}


def _audited(sender: type[Model]) -> bool:
    from django.contrib.auth import get_user_model

    return issubclass(sender, OrgOwned) or sender is get_user_model()


def patient_id_of(instance: Model) -> uuid.UUID | None:
    """The patient a row is about, when it is about one (for "who saw this patient")."""
    if type(instance).__name__ == "Patient" and instance._meta.app_label == "patients":
        pk: uuid.UUID = instance.pk
        return pk
    patient_id: uuid.UUID | None = getattr(instance, "patient_id", None)
    if patient_id:
        return patient_id
    for parent in ("episode", "note", "plan"):
        if getattr(instance, f"{parent}_id", None):
            try:
                return patient_id_of(getattr(instance, parent))
            except ObjectDoesNotExist:
                # The parent went first in a cascading delete; the entry keeps its own ids.
                return None
    return None


def _object_type(instance: Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def _changed_fields(sender: type[Model], instance: Model) -> list[str]:
    old = sender._default_manager.filter(pk=instance.pk).values().first()
    if old is None:
        return []
    changed = []
    for field in instance._meta.concrete_fields:
        if field.attname in _SKIP_FIELDS:
            continue
        if old.get(field.attname) != getattr(instance, field.attname):
            changed.append(field.name)
    return changed


def on_pre_save(sender: type[Model], instance: Model, raw: bool, **kwargs: Any) -> None:
    if raw or not _audited(sender) or instance._state.adding:
        return
    # Kept on the instance until its post_save records the entry.
    instance._audit_changed = _changed_fields(sender, instance)  # type: ignore[attr-defined]


def on_post_save(
    sender: type[Model], instance: Model, created: bool, raw: bool, **kwargs: Any
) -> None:
    if raw or not _audited(sender):
        return
    if created:
        fields = [f.name for f in instance._meta.concrete_fields if f.attname not in _SKIP_FIELDS]
    else:
        fields = getattr(instance, "_audit_changed", [])
        if not fields:
            return
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type=_object_type(instance),
        object_id=instance.pk,
        organization_id=getattr(instance, "organization_id", None),
        patient_id=patient_id_of(instance),
        fields=fields,
    )


def on_post_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not _audited(sender):
        return
    audit_record(
        action=AuditAction.DELETE,
        object_type=_object_type(instance),
        object_id=instance.pk,
        organization_id=getattr(instance, "organization_id", None),
        patient_id=patient_id_of(instance),
    )


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # The request's actor was set while the user was still anonymous: the one signing in acts.
    audit_record(
        action=AuditAction.LOGIN,
        object_type="accounts.user",
        object_id=user.pk,
        organization_id=user.organization_id,
        actor=actor_for_user(user, current_actor().ip_address),
    )


def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action=AuditAction.LOGOUT,
            object_type="accounts.user",
            object_id=user.pk,
            organization_id=user.organization_id,
            actor=actor_for_user(user, current_actor().ip_address),
        )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The attempted username is kept in `detail`; the password never is (Django masks it).
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        detail=f"username={str(credentials.get('username', ''))[:150]}",
    )


def on_update(*, model: type[Model], rows: list[tuple[Any, Any]], fields: list[str]) -> None:
    """A `QuerySet.update` (or `bulk_update`) of tenant rows: one entry per organization,
    naming every row it changed and the fields."""
    fields = [f for f in fields if f not in _SKIP_FIELDS]
    if not fields:
        return  # as a save that changes only timestamps records nothing
    by_org: dict[Any, list[Any]] = {}
    for pk, organization_id in rows:
        by_org.setdefault(organization_id, []).append(pk)
    for organization_id, ids in by_org.items():
        audit_bulk(
            object_type=f"{model._meta.app_label}.{model._meta.model_name}",
            object_ids=ids,
            organization_id=organization_id,
            action=AuditAction.UPDATE,
            fields=fields,
            detail="update of several rows",
        )


def connect() -> None:
    if on_update not in common_models.update_listeners:
        common_models.update_listeners.append(on_update)
    pre_save.connect(on_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(on_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(on_post_delete, dispatch_uid="audit_post_delete")
    user_logged_in.connect(on_login, dispatch_uid="audit_login")
    user_logged_out.connect(on_logout, dispatch_uid="audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
