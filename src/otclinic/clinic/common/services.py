"""Helpers every service uses: validate a row fully before it is written."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

from otclinic.clinic.common.errors import ValidationFailed

M = TypeVar("M", bound=Model)


def validated_save(instance: M) -> M:
    """Run every model and field validator, then save; a failure names each field."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc
    instance.save()
    return instance


def validate_except(instance: Model, *, exclude: list[str]) -> None:
    """Run every validator but those of the `exclude`d fields (set by the service after)."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc
