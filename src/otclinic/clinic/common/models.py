"""Abstract bases: UUID keys, timestamps, and the organization every row belongs to."""

import uuid
from collections.abc import Callable
from typing import Any, Self, TypeVar

from django.db import models, transaction
from django.utils.text import capfirst

# Told of every `update` of tenant rows (`OrgQuerySet.update`, which `bulk_update` uses too),
# which sends no per-row signals: called with model=, rows= [(id, organization id)], fields=.
# The audit app registers its recorder here in its `ready()`; common sits below it.
update_listeners: list[Callable[..., None]] = []
_UPDATE_CHUNK = 5000

_M = TypeVar("_M", bound=models.Model)

# What `prefetch_related` takes: a lookup, or a Prefetch with its own queryset.
PrefetchLookup = str | models.Prefetch[Any, Any, Any]


class BaseModel(models.Model):
    """A row with a UUID primary key and created/updated timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        """The row's kind in words, with the day it was made: never "Model object (uuid)".
        Models users see by name say more (`ReferenceCheck`: whose reference)."""
        kind = capfirst(str(self._meta.verbose_name))
        return f"{kind} of {self.created_at:%Y-%m-%d}" if self.created_at else kind


class OrgQuerySet(models.QuerySet[_M]):
    def for_org(self, organization: object) -> Self:
        """Only the rows of one organization: the first filter of every selector."""
        return self.filter(organization=organization)

    def update(self, **kwargs: Any) -> int:
        """Update the rows and tell the listeners (the audit trail) which ones, in one
        transaction. The ids are read first, and only those rows are updated, so what is
        recorded is what changed even when the update moves rows out of the filter."""
        if not update_listeners:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            rows = list(self.values_list("pk", "organization_id").order_by())
            updated = 0
            for start in range(0, len(rows), _UPDATE_CHUNK):
                ids = [pk for pk, _ in rows[start : start + _UPDATE_CHUNK]]
                updated += super(OrgQuerySet, self.filter(pk__in=ids)).update(**kwargs)
            for listener in update_listeners:
                listener(model=self.model, rows=rows, fields=sorted(kwargs))
        return updated


class OrgOwned(BaseModel):
    """A clinical or financial row: it belongs to exactly one organization (the tenant)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True
