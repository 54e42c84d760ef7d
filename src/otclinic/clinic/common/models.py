"""Abstract bases: UUID keys, timestamps, and the organization every row belongs to."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """A row with a UUID primary key and created/updated timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrgQuerySet(models.QuerySet):
    def for_org(self, organization: object) -> "OrgQuerySet":
        """Only the rows of one organization: the first filter of every selector."""
        return self.filter(organization=organization)


class OrgOwned(BaseModel):
    """A clinical or financial row: it belongs to exactly one organization (the tenant)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True
