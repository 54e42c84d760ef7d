"""The one shape of "not yours": every access rule's single-object check goes through here.

Each resource's rule is written once, as a queryset of what a user may list (`visible_<noun>s`
in the app that owns the noun: `patients.access`, `care.access`, `messaging.access`,
`revenue.access`, `scheduling.access`). Opening one object is that queryset's `.get`, through
`get_visible`, so what a user may list and what they may open cannot differ. An object of
another organization, one the user may not see and one that does not exist are answered alike:
`NotFoundForUser` (404 on pages, htmx partials and downloads; the API's 404 JSON).
"""

import uuid
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet

from otclinic.clinic.common.errors import NotFoundForUser

M = TypeVar("M", bound=Model)


def get_visible(visible: QuerySet[M], pk: uuid.UUID | str | None, *, what: str) -> M:
    """One row of a `visible_<noun>s(user)` queryset, or NotFoundForUser naming only `what`."""
    try:
        return visible.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFoundForUser(f"no such {what}") from exc


def require_same_organization(user: Any, *records: Any) -> None:
    """For writes handed a row: one of another organization is answered as if it did not exist.

    (A row looked up through a `visible_<noun>s` queryset has passed this already.)
    """
    organization_id = getattr(user, "organization_id", None)
    for record in records:
        if record is not None and (
            organization_id is None or record.organization_id != organization_id
        ):
            raise NotFoundForUser(f"no such {record._meta.verbose_name}")
