"""What every page's layout needs: the signed-in user's role and navigation."""

from typing import Any

from django.http import HttpRequest

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.fieldwork.selectors import is_fieldwork_educator
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.compliance.credentials import CREDENTIALED_ROLES


def ota_educator(request: HttpRequest) -> bool:
    """Whether the signed-in user is an OTA who educates fieldwork students, asked of the
    database once per request (the navigation and the home page both need it). An educator is
    an OT or an OTA (`domain.compliance.fieldwork`), and an OT may co-sign anyway: only an
    OTA's answer changes what a page offers."""
    known = getattr(request, "_otclinic_ota_educator", None)
    if known is None:
        user = request.user
        known = (
            isinstance(user, User) and user.role == Role.OTA and is_fieldwork_educator(user=user)
        )
        request._otclinic_ota_educator = known  # type: ignore[attr-defined]
    return bool(known)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    educates = ota_educator(request)
    return {
        "nav_is_portal": user_may(user, Capability.PORTAL),
        "nav_can_view_chart": user_may(user, Capability.VIEW_CHART),
        "nav_can_add_patient": user_may(user, Capability.EDIT_DEMOGRAPHICS),
        "nav_can_edit_diagnoses": user_may(user, Capability.EDIT_DIAGNOSES),
        "nav_can_write_note": user_may(user, Capability.WRITE_TREATMENT_NOTE),
        # An OTA educator co-signs their own OTA students' notes.
        "nav_can_cosign": user_may(user, Capability.COSIGN) or educates,
        "nav_can_schedule": user_may(user, Capability.SCHEDULE),
        "nav_can_edit_coverage": user_may(user, Capability.EDIT_COVERAGE),
        "nav_can_view_billing": user_may(user, Capability.VIEW_BILLING),
        "nav_can_manage_billing": user_may(user, Capability.MANAGE_BILLING),
        "nav_is_admin": user_may(user, Capability.MANAGE_STAFF) or user.is_superuser,
        "nav_has_credentials": user.role in {str(r) for r in CREDENTIALED_ROLES},
        "nav_is_educator": educates,
        "nav_can_manage_staff": user_may(user, Capability.MANAGE_STAFF),
        "nav_can_use_api": user_may(user, Capability.USE_API),
        "nav_can_view_audit": user_may(user, Capability.VIEW_AUDIT),
        "nav_can_view_reports": user_may(user, Capability.VIEW_REPORTS),
        "nav_can_supervise": user_may(user, Capability.SUPERVISE_ASSISTANTS)
        or user_may(user, Capability.MANAGE_STAFF),
    }
