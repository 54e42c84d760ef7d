"""Bad input is refused with the field's error, answers 422, and saves nothing.

Also: a second submit of the same form does no harm, an unknown URL gets the 404 page and a
server error the friendly 500 page, never a traceback.
"""

import json
import re
from typing import Any

import pytest
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils.functional import SimpleLazyObject

from otclinic.clinic.patients.models import Patient, PatientDiagnosis
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.web.views import server_error
from otclinic.domain.identifiers import luhn_check_digit
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an unexpected failure in a view")


# Used by test_a_server_error_shows_the_friendly_page through @pytest.mark.urls.
urlpatterns = [path("boom/", _boom), path("", include("otclinic.config.urls"))]
handler404 = "otclinic.clinic.web.views.not_found"
handler500 = "otclinic.clinic.web.views.server_error"


@pytest.fixture
def desk(client: Client) -> Any:
    """A front-desk user, signed in, whose organization has a clinic, a payer and a patient."""
    org = f.OrganizationFactory()
    user = f.staff_user(organization=org, role="front_desk")
    client.force_login(user)
    patient = f.PatientFactory(organization=org)
    payer = f.PayerFactory(organization=org)
    return type("Desk", (), {"user": user, "org": org, "patient": patient, "payer": payer})


def _count(model: type[Model]) -> int:
    return model.objects.count()


def _wrong_check_digit(npi: str) -> str:
    return npi[:9] + str((int(npi[9]) + 1) % 10)


def _page(response: Any) -> str:
    return response.content.decode()


# NPI ----------------------------------------------------------------------------------------


def test_an_npi_with_a_wrong_check_digit_is_refused_on_the_form(client: Client, desk: Any) -> None:
    npi = _wrong_check_digit(f.next_npi())
    expected = luhn_check_digit("80840" + npi[:9])
    before = _count(ReferringPhysician)
    response = client.post(
        "/physicians/new/", {"first_name": "Ada", "last_name": "Lovelace", "npi": npi}
    )
    assert response.status_code == 422
    assert f"NPI: Invalid NPI &#x27;{npi}&#x27;: the check digit should be {expected}" in _page(
        response
    )
    assert _count(ReferringPhysician) == before


@pytest.mark.parametrize("npi", ["12345", "3123456789", "12345678AB", ""])
def test_an_npi_of_the_wrong_form_is_refused_on_the_form(
    client: Client, desk: Any, npi: str
) -> None:
    before = _count(ReferringPhysician)
    response = client.post(
        "/physicians/new/", {"first_name": "Ada", "last_name": "Lovelace", "npi": npi}
    )
    assert response.status_code == 422
    assert "NPI: " in _page(response)
    assert _count(ReferringPhysician) == before


def test_an_invalid_npi_is_refused_by_the_api(client: Client, desk: Any) -> None:
    npi = _wrong_check_digit(f.next_npi())
    body = {"first_name": "Ada", "last_name": "Lovelace", "npi": npi}
    before = _count(ReferringPhysician)
    response = client.post("/api/v1/physicians/", body, content_type="application/json")
    assert response.status_code == 422
    assert "check digit" in response.json()["errors"]["npi"][0]
    assert _count(ReferringPhysician) == before


def test_a_valid_physician_is_saved_and_shown(client: Client, desk: Any) -> None:
    npi = f.next_npi()
    data = {"first_name": "Ada", "last_name": "Lovelace", "credentials": "MD", "npi": npi}
    response = client.post("/physicians/new/", data, follow=True)
    assert response.status_code == 200
    assert npi in _page(response)
    assert ReferringPhysician.objects.get(npi=npi).organization == desk.org


def test_the_same_physician_twice_names_the_npi(client: Client, desk: Any) -> None:
    data = {"first_name": "Ada", "last_name": "Lovelace", "npi": f.next_npi()}
    assert client.post("/physicians/new/", data).status_code == 302
    response = client.post("/physicians/new/", data)
    assert response.status_code == 422
    assert f"NPI: A referring physician with NPI {data['npi']} is already on file." in _page(
        response
    )
    assert ReferringPhysician.objects.filter(npi=data["npi"]).count() == 1
    api = client.post("/api/v1/physicians/", data, content_type="application/json")
    assert api.status_code == 422
    assert "already on file" in api.json()["errors"]["npi"][0]


# ICD-10-CM ----------------------------------------------------------------------------------


def _add_diagnosis(client: Client, patient: Patient, code: str) -> Any:
    return client.post(f"/patients/{patient.pk}/diagnoses/", {"code": code})


def test_an_unknown_icd10_code_is_refused(client: Client, desk: Any) -> None:
    response = _add_diagnosis(client, desk.patient, "Z99.999")
    assert response.status_code == 422
    assert "ICD-10-CM code: &#x27;Z99.999&#x27; is not an ICD-10-CM code." in _page(response)
    assert not PatientDiagnosis.objects.exists()


def test_a_header_code_is_refused_with_its_description(client: Client, desk: Any) -> None:
    response = _add_diagnosis(client, desk.patient, "I69.35")
    assert response.status_code == 422
    page = _page(response)
    assert "ICD-10-CM code: I69.35 (Hemiplegia and hemiparesis following cerebral infarction)" in (
        page
    )
    assert "is a category, not a billable code" in page
    assert not PatientDiagnosis.objects.exists()


@pytest.mark.parametrize("code", ["I69.35", "NOPE", "M19"])
def test_the_api_refuses_codes_that_cannot_be_billed(client: Client, desk: Any, code: str) -> None:
    response = client.post(
        f"/api/v1/patients/{desk.patient.pk}/diagnoses",
        {"code": code},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["code"]
    assert not PatientDiagnosis.objects.exists()


def test_adding_the_same_diagnosis_twice_keeps_one(client: Client, desk: Any) -> None:
    assert _add_diagnosis(client, desk.patient, "i69351").status_code == 302
    assert _add_diagnosis(client, desk.patient, "I69.351").status_code == 302
    api = client.post(
        f"/api/v1/patients/{desk.patient.pk}/diagnoses",
        {"code": "I69.351"},
        content_type="application/json",
    )
    assert api.status_code == 201
    assert list(desk.patient.diagnoses.values_list("code", flat=True)) == ["I69.351"]


# Dates and the patient record ---------------------------------------------------------------


def _patient_form(desk: Any, **changes: str) -> dict[str, Any]:
    return {
        "mrn": "BAD001",
        "first_name": "Ottilie",
        "last_name": "Brandt",
        "birth_date": "1950-02-28",
        "sex": "F",
        "home_clinic": desk.patient.home_clinic_id,
    } | changes


@pytest.mark.parametrize("birth_date", ["31/02/2020", "2020-02-30", "yesterday"])
def test_an_impossible_birth_date_is_refused(client: Client, desk: Any, birth_date: str) -> None:
    before = _count(Patient)
    response = client.post("/patients/new/", _patient_form(desk, birth_date=birth_date))
    assert response.status_code == 422
    assert "Birth date: Enter a date as YYYY-MM-DD." in _page(response)
    assert _count(Patient) == before


def test_the_api_refuses_an_impossible_birth_date(client: Client, desk: Any) -> None:
    body = _patient_form(desk, birth_date="2020-02-31")
    body["home_clinic_id"] = str(body.pop("home_clinic"))
    before = _count(Patient)
    response = client.post("/api/v1/patients/", body, content_type="application/json")
    assert response.status_code == 422
    assert "birth_date" in json.dumps(response.json())
    assert _count(Patient) == before


def test_the_same_patient_twice_is_warned_about_with_the_first_ones_mrn(
    client: Client, desk: Any
) -> None:
    assert client.post("/patients/new/", _patient_form(desk)).status_code == 302
    first = Patient.objects.get(organization=desk.org, last_name="Brandt")
    response = client.post("/patients/new/", _patient_form(desk))
    assert response.status_code == 422
    assert "This patient may already have a chart" in _page(response)
    assert f"MRN {first.mrn}" in _page(response)
    assert Patient.objects.filter(organization=desk.org, last_name="Brandt").count() == 1


def test_the_api_names_the_mrn_of_a_duplicate_patient(client: Client, desk: Any) -> None:
    body = _patient_form(desk, mrn=desk.patient.mrn)
    body["home_clinic_id"] = str(body.pop("home_clinic"))
    response = client.post("/api/v1/patients/", body, content_type="application/json")
    assert response.status_code == 422
    assert "already exists" in response.json()["errors"]["mrn"][0]


# Coverage -----------------------------------------------------------------------------------


def _coverage_form(desk: Any, **changes: str) -> dict[str, Any]:
    return {
        "payer": desk.payer.pk,
        "member_id": "1EG4-TE5-MK72",
        "priority": "primary",
        "starts_on": "2026-01-01",
        "subscriber_relationship": "self",
    } | changes


def _coverage_url(desk: Any) -> str:
    return f"/patients/{desk.patient.pk}/coverage/new/"


@pytest.mark.parametrize("member_id", ["!!", "A", "AB CD EF", "-ABC123", "X" * 31])
def test_an_impossible_member_id_is_refused(client: Client, desk: Any, member_id: str) -> None:
    response = client.post(_coverage_url(desk), _coverage_form(desk, member_id=member_id))
    assert response.status_code == 422
    assert "Member id: " in _page(response)
    assert not Coverage.objects.exists()


def test_coverage_that_ends_before_it_starts_is_refused(client: Client, desk: Any) -> None:
    form = _coverage_form(desk, starts_on="2026-03-01", ends_on="2026-02-01")
    response = client.post(_coverage_url(desk), form)
    assert response.status_code == 422
    assert "Coverage ends on: The end date cannot be before the start date." in _page(response)
    assert not Coverage.objects.exists()


def test_coverage_with_an_impossible_date_is_refused(client: Client, desk: Any) -> None:
    response = client.post(_coverage_url(desk), _coverage_form(desk, starts_on="31/02/2020"))
    assert response.status_code == 422
    assert "Coverage starts on: Enter a date as YYYY-MM-DD." in _page(response)
    assert not Coverage.objects.exists()


def test_the_api_refuses_an_impossible_member_id(client: Client, desk: Any) -> None:
    body = {
        "patient_id": str(desk.patient.pk),
        "payer_id": str(desk.payer.pk),
        "member_id": "!!",
        "starts_on": "2026-01-01",
    }
    response = client.post("/api/v1/coverages/", body, content_type="application/json")
    assert response.status_code == 422
    assert "member id" in response.json()["errors"]["member_id"][0]
    assert not Coverage.objects.exists()


def test_valid_coverage_is_saved_once_however_often_it_is_sent(client: Client, desk: Any) -> None:
    assert client.post(_coverage_url(desk), _coverage_form(desk)).status_code == 302
    assert client.post(_coverage_url(desk), _coverage_form(desk)).status_code == 302
    body = {
        "patient_id": str(desk.patient.pk),
        "payer_id": str(desk.payer.pk),
        "member_id": "1EG4-TE5-MK72",
        "starts_on": "2026-01-01",
    }
    response = client.post("/api/v1/coverages/", body, content_type="application/json")
    assert response.status_code == 201
    (coverage,) = Coverage.objects.all()
    # Typed as on the Medicare card, kept as Medicare takes it on a claim (no dashes).
    assert (coverage.patient, coverage.payer, coverage.member_id) == (
        desk.patient,
        desk.payer,
        "1EG4TE5MK72",
    )
    chart = client.get(f"/patients/{desk.patient.pk}/")
    assert "1EG4TE5MK72" in _page(chart)


FIELD_ID = re.compile(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"')


def test_every_field_of_the_new_forms_has_a_label(client: Client, desk: Any) -> None:
    for url in ("/physicians/new/", _coverage_url(desk), "/patients/new/"):
        page = _page(client.get(url))
        for field_id in set(FIELD_ID.findall(page)):
            assert f'<label for="{field_id}"' in page, f"{url}: {field_id} has no label"


# Unknown pages and failures -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/patients/00000000-0000-0000-0000-000000000000/"]
)
def test_an_unknown_url_gets_the_404_page(client: Client, desk: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = _page(response)
    assert "There is no such page or record here." in page
    assert "Traceback" not in page


def test_an_unknown_url_gets_the_404_page_before_sign_in(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is no such page or record here." in _page(response)


@pytest.mark.urls("tests.clinic.test_bad_input")
def test_a_server_error_shows_the_friendly_page(desk: Any, settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(desk.user)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = _page(response)
    assert "Something went wrong" in page
    assert "Nothing was half-saved" in page
    assert "an unexpected failure" not in page
    assert "Traceback" not in page


def test_htmx_gets_the_diagnoses_partial_with_errors_or_the_new_code(
    client: Client, desk: Any
) -> None:
    url = f"/patients/{desk.patient.pk}/diagnoses/"
    bad = client.post(url, {"code": "I69.35"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    assert "<html" not in _page(bad)
    assert "is a category, not a billable code" in _page(bad)
    good = client.post(url, {"code": "I69.351"}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200
    assert "I69.351" in _page(good)
    assert 'id="diagnoses"' in _page(good)


def test_the_500_page_does_not_need_the_signed_in_user() -> None:
    # When the database is what failed, looking the user up again must not fail the 500 page.
    def unavailable() -> Any:
        raise RuntimeError("the database is unavailable")

    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(unavailable)
    response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# Errors tied to their fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/physicians/new/", "/patients/new/"],
)
def test_every_field_points_at_an_error_list_that_exists(
    client: Client, desk: Any, url: str
) -> None:
    """A screen reader reads a refused field's error: aria-describedby names an element on the page."""
    # A browser posts every field, blank or not.
    response = client.post(url, {"first_name": "", "last_name": ""})
    assert response.status_code == 422
    page = _page(response)
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert described, "a refused form ties at least one field to its errors"
    for ids in described:
        for element_id in ids.split():
            assert f'id="{element_id}"' in page, f"{element_id} is named but not on the page"
