"""Users in the clinic admin: a clinic admin manages the logins of their own organization."""

from typing import Any

from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from otclinic.clinic.accounts.models import User
from otclinic.clinic.common.admin import OrgScopedAdmin, site


class ClinicUserAdmin(OrgScopedAdmin[User], UserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    exclude = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "is_active")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "password1", "password2")}),)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            return (
                *fieldsets,
                ("Platform", {"fields": ("organization", "is_staff", "is_superuser")}),
            )
        return fieldsets


site.register(User, ClinicUserAdmin)
