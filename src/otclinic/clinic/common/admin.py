"""Django admin for clinic admins, confined to their own organization.

Clinic admins are not superusers and hold no Django model permissions: this site lets them in
by role, shows only their organization's rows, offers only their organization's rows in
choice lists, and stamps new rows with their organization. Clinical documents are not edited
here (signatures and locks live in the services); superusers see everything.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from otclinic.clinic.accounts.permissions import user_may
from otclinic.domain.access import Capability


def is_clinic_admin(user: Any) -> bool:
    return bool(user.is_active and user_may(user, Capability.MANAGE_STAFF))


class ClinicAdminSite(admin.AdminSite):
    site_header = "otclinic administration"
    site_title = "otclinic admin"
    index_title = "Your practice"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_clinic_admin(user)))


class OrgScopedAdmin(admin.ModelAdmin):
    """A model admin that shows and edits one organization's rows."""

    exclude = ("organization",)

    def _org_id(self, request: HttpRequest) -> Any:
        return None if request.user.is_superuser else request.user.organization_id

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        org_id = self._org_id(request)
        return qs if org_id is None else qs.filter(organization_id=org_id)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        org_id = self._org_id(request)
        related = db_field.related_model
        if org_id is None:
            return
        if any(f.name == "organization" for f in related._meta.fields):
            kwargs["queryset"] = related._default_manager.filter(organization_id=org_id)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if not change and not getattr(obj, "organization_id", None):
            obj.organization_id = request.user.organization_id
        super().save_model(request, obj, form, change)

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_clinic_admin(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


site = ClinicAdminSite(name="admin")
