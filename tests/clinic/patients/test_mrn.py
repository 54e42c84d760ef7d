"""MRNs are assigned by the organization's pattern when a chart is saved, never typed."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients import services
from otclinic.clinic.patients.forms import PatientForm
from otclinic.clinic.patients.models import MrnPattern, Patient
from tests.clinic import factories as f
from tests.clinic.patients.intake_setup import BORN, desk_of, patient_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic() -> Any:
    return f.ClinicFactory()


@pytest.fixture
def desk(clinic: Any) -> Any:
    return desk_of(clinic.organization)


def _data(clinic: Any, n: int, **values: Any) -> dict[str, Any]:
    data = {"first_name": f"Ann{n}", "last_name": f"Zed{n}", "birth_date": BORN, "sex": "F"}
    return data | {"home_clinic": clinic} | values


def test_charts_are_numbered_by_the_organizations_pattern(desk: Any, clinic: Any) -> None:
    MrnPattern.objects.create(organization=clinic.organization, prefix="OT-", next_number=123)
    first = services.patient_create(user=desk, data=_data(clinic, 1))
    second = services.patient_create(user=desk, data=_data(clinic, 2))
    assert (first.mrn, second.mrn) == ("OT-000123", "OT-000124")


def test_without_a_setting_charts_are_numbered_from_one_in_six_digits(
    desk: Any, clinic: Any
) -> None:
    assert services.patient_create(user=desk, data=_data(clinic, 1)).mrn == "000001"
    assert MrnPattern.objects.get(organization=clinic.organization).next_number == 2


def test_a_number_already_on_a_chart_is_skipped(desk: Any, clinic: Any) -> None:
    MrnPattern.objects.create(organization=clinic.organization, prefix="RB", digits=6)
    f.PatientFactory(organization=clinic.organization, home_clinic=clinic, mrn="RB000001")
    assert services.patient_create(user=desk, data=_data(clinic, 1)).mrn == "RB000002"


def test_each_organization_has_its_own_sequence(desk: Any, clinic: Any) -> None:
    other = f.ClinicFactory()
    services.patient_create(user=desk_of(other.organization), data=_data(other, 1))
    assert services.patient_create(user=desk, data=_data(clinic, 1)).mrn == "000001"


def test_a_refused_chart_does_not_use_up_a_number(desk: Any, clinic: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.patient_create(user=desk, data=_data(clinic, 1, sex="X"))
    assert "sex" in refused.value.errors
    assert services.patient_create(user=desk, data=_data(clinic, 2)).mrn == "000001"


def test_a_chart_brought_over_keeps_its_mrn(desk: Any, clinic: Any) -> None:
    assert services.patient_create(user=desk, data=_data(clinic, 1, mrn="OLD-77")).mrn == "OLD-77"


def test_the_form_has_no_mrn_to_type(clinic: Any) -> None:
    assert "mrn" not in PatientForm(organization=clinic.organization).fields


def test_the_page_shows_the_assigned_mrn_after_saving(
    client: Client, desk: Any, clinic: Any
) -> None:
    MrnPattern.objects.create(organization=clinic.organization, prefix="OT-", next_number=5)
    client.force_login(desk)
    form = patient_form(clinic) | {"mrn": "TYPED-1"}
    response = client.post("/patients/new/", form, follow=True)
    patient = Patient.objects.get(organization=clinic.organization)
    assert patient.mrn == "OT-000005"  # what was typed into a stray mrn field is ignored
    assert "Patient saved with MRN OT-000005." in response.content.decode()
    assert "<dd>OT-000005</dd>" in response.content.decode()


def test_a_clinic_admin_sets_the_pattern_and_sees_the_next_mrn(
    client: Client, clinic: Any, desk: Any
) -> None:
    client.force_login(f.staff_user(organization=clinic.organization, role="clinic_admin"))
    form = {"prefix": "ot-", "digits": "6", "next_number": "123"}
    response = client.post("/patients/mrn-pattern/", form, follow=True)
    assert "the next new chart gets MRN OT-000123" in response.content.decode()
    assert services.patient_create(user=desk, data=_data(clinic, 1)).mrn == "OT-000123"


def test_a_bad_pattern_names_its_field(client: Client, clinic: Any) -> None:
    client.force_login(f.staff_user(organization=clinic.organization, role="clinic_admin"))
    form = {"prefix": "O T", "digits": "6", "next_number": "1"}
    response = client.post("/patients/mrn-pattern/", form)
    assert response.status_code == 422
    assert "Prefix: Use up to 10 capital letters, digits or dashes" in response.content.decode()
    assert not MrnPattern.objects.filter(organization=clinic.organization).exists()


def test_the_front_desk_may_not_change_the_pattern(client: Client, desk: Any) -> None:
    client.force_login(desk)
    assert client.get("/patients/mrn-pattern/").status_code == 403
