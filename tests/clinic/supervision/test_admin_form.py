"""The Django admin's staff form refuses a supervising OT the state rules forbid, with the reason."""

from typing import Any

import pytest
from django.forms.models import model_to_dict, modelform_factory

from otclinic.clinic.staff.admin_forms import StaffProfileAdminForm
from otclinic.clinic.staff.models import StaffProfile
from tests.clinic import factories as f
from tests.clinic.supervision.helpers import team

pytestmark = pytest.mark.django_db


def _form(profile: Any, supervisor: Any) -> Any:
    data = {k: v for k, v in model_to_dict(profile).items() if v is not None}
    data["clinics"] = [c.pk for c in profile.clinics.all()]
    data["supervising_ot"] = supervisor.pk
    form = modelform_factory(StaffProfile, form=StaffProfileAdminForm, exclude=("organization",))
    return form(data=data, instance=profile)


def test_the_admin_form_refuses_an_ot_without_a_license_in_the_otas_state() -> None:
    t = team(state="OH")
    unlicensed = f.StaffProfileFactory(user__organization=t.org, user__role="OT", licensed=False)
    form = _form(t.ota, unlicensed)
    assert not form.is_valid()
    assert "OH license" in " ".join(form.errors["supervising_ot"])


def test_the_admin_form_refuses_an_ota_as_supervisor_and_accepts_a_licensed_ot() -> None:
    t = team(state="OH")
    peer = f.StaffProfileFactory(user__organization=t.org, user__role="OTA")
    assert "occupational therapist" in " ".join(_form(t.ota, peer).errors["supervising_ot"])
    other_ot = f.StaffProfileFactory(user__organization=t.org, user__role="OT")
    form = _form(t.ota, other_ot)
    assert form.is_valid(), form.errors
