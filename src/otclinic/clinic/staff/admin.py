from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from otclinic.clinic.common.admin import OrgScopedAdmin, site
from otclinic.clinic.staff.admin_forms import StaffProfileAdminForm
from otclinic.clinic.staff.models import (
    CeActivity,
    CeRequirement,
    CertificateType,
    StaffProfile,
    StateLicense,
)


class StateLicenseInline(admin.TabularInline[StateLicense, StaffProfile]):
    model = StateLicense
    exclude = ("organization",)
    extra = 0


class CeActivityInline(admin.TabularInline[CeActivity, StaffProfile]):
    model = CeActivity
    exclude = ("organization",)
    extra = 0


class StaffProfileAdmin(OrgScopedAdmin[StaffProfile]):
    form = StaffProfileAdminForm  # refuses a supervising OT the state rules forbid
    list_display = (
        "__str__",
        "npi",
        "nbcot_credential",
        "nbcot_expires_on",
        "supervising_ot",
        "active",
    )
    list_filter = ("active", "nbcot_credential")
    search_fields = ("user__last_name", "user__first_name", "npi")
    # Certificates are kept on the staff pages, whose type choices are the organization's own.
    inlines = [StateLicenseInline, CeActivityInline]

    def save_formset(
        self,
        request: HttpRequest,
        form: StaffProfileAdminForm,
        formset: BaseInlineFormSet[Any, StaffProfile, Any],
        change: bool,
    ) -> None:
        for instance in formset.save(commit=False):
            instance.organization_id = form.instance.organization_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


site.register(StaffProfile, StaffProfileAdmin)


class CertificateTypeAdmin(OrgScopedAdmin[CertificateType]):
    list_display = ("name", "required_for_clinicians")


class CeRequirementAdmin(OrgScopedAdmin[CeRequirement]):
    list_display = ("counts_toward", "hours", "cycle_months", "source")


site.register(CertificateType, CertificateTypeAdmin)
site.register(CeRequirement, CeRequirementAdmin)
