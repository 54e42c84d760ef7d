"""Django admin for clinic admins, confined to their own organization.

Clinic admins are not superusers and hold no Django model permissions: this site lets them in
by role, shows only their organization's rows, offers only their organization's rows in
choice lists, and stamps new rows with their organization. Clinical documents are not edited
here (signatures and locks live in the services); superusers see everything.
"""

import uuid
from typing import Any, ClassVar, TypeVar

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db.models import Field, ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import Form, ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.domain.access import Capability

_M = TypeVar("_M", bound=Model)


def is_clinic_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_active and user_may(user, Capability.MANAGE_STAFF))


class ClinicAdminSite(admin.AdminSite):
    site_header = "otclinic administration"
    site_title = "otclinic admin"
    index_title = "Your practice"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_clinic_admin(user)))


class OrgScopedAdmin(admin.ModelAdmin[_M]):
    """A model admin that shows and edits one organization's rows."""

    exclude: ClassVar[tuple[str, ...]] = ("organization",)

    @staticmethod
    def _signed_in(request: HttpRequest) -> User:
        # The site lets in signed-in users only (`has_permission`).
        assert isinstance(request.user, User)
        return request.user

    def _org_id(self, request: HttpRequest) -> uuid.UUID | None:
        user = self._signed_in(request)
        return None if user.is_superuser else user.organization_id

    def get_queryset(self, request: HttpRequest) -> QuerySet[_M]:
        qs = super().get_queryset(request)
        org_id = self._org_id(request)
        return qs if org_id is None else qs.filter(organization_id=org_id)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(
        self, db_field: Field[Any, Any], request: HttpRequest, kwargs: dict[str, Any]
    ) -> None:
        org_id = self._org_id(request)
        related = db_field.related_model
        if org_id is None or not isinstance(related, type):  # a relation is resolved to a model
            return
        if any(f.name == "organization" for f in related._meta.fields):
            kwargs["queryset"] = related._default_manager.filter(organization_id=org_id)

    def save_model(self, request: HttpRequest, obj: _M, form: Form, change: bool) -> None:
        if not change and not getattr(obj, "organization_id", None):
            # Every model admitted here has an organization (`exclude` hides the field).
            obj.organization_id = self._signed_in(request).organization_id  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_clinic_admin(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return bool(request.user.is_superuser)


site = ClinicAdminSite(name="admin")
