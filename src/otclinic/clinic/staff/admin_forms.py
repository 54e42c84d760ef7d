"""The Django admin's staff form refuses a supervising OT the state rules forbid.

The same check as `supervision.services.supervisor_assign`, asked through a hook the
supervision app answers (staff sits below supervision): the supervisor of an OTA must be an OT (OTR)
with a license in force in each state the OTA works in and an NBCOT certification in force.
"""

from typing import Any

from django import forms
from django.utils import timezone

from otclinic.clinic.staff.hooks import supervising_ot_problems
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.codes import Role


class StaffProfileAdminForm(forms.ModelForm[StaffProfile]):
    """The base form of `StaffProfileAdmin`; the admin supplies model and fields."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        supervisor = cleaned.get("supervising_ot")
        profile = self.instance
        is_ota = profile.user_id is not None and profile.user.role == Role.OTA
        changed = "supervising_ot" in self.changed_data
        if is_ota and changed and supervisor is not None and profile.pk:
            for error in supervising_ot_problems(
                ota=profile, supervisor=supervisor, on=timezone.localdate()
            ):
                self.add_error("supervising_ot", error)
        return cleaned
