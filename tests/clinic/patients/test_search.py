"""The front desk finds a patient by name, MRN, birth date (ISO or month first) or phone
(whatever the punctuation), on the search page, over the API and in the booking picker; a
page of matches at a time."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tests.clinic import factories as f
from tests.clinic.patients.intake_setup import desk_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sydney() -> Any:
    return f.PatientFactory(
        first_name="Sydney",
        last_name="Garcia",
        birth_date=dt.date(2019, 4, 7),
        phone="(555) 014-2231",
        mrn="OT-000123",
    )


@pytest.fixture
def others(sydney: Any) -> list[Any]:
    """Patients of the same practice who must not match: another birth date, another phone."""
    return [
        f.PatientFactory(
            organization=sydney.organization,
            home_clinic=sydney.home_clinic,
            first_name="Mateo",
            last_name="Garza",
            birth_date=dt.date(2019, 7, 4),
            phone="555-014-9999",
            mrn="OT-000124",
        )
    ]


@pytest.fixture
def desk_client(client: Client, sydney: Any) -> Client:
    client.force_login(desk_of(sydney.organization))
    return client


def _page_names(client: Client, query: str) -> list[str]:
    body = client.get("/patients/", {"q": query}).content.decode()
    return [name for name in ("Garcia, Sydney", "Garza, Mateo") if name in body]


@pytest.mark.parametrize(
    "query",
    [
        "Garcia",
        "garcia syd",
        "Garcia, Sydney",
        "OT-000123",
        "2019-04-07",
        "04/07/2019",
        "4/7/2019",
        "(555) 014-2231",
        "555.014.2231",
        "5550142231",
        "+1 555 014 2231",
        "2231",
        "Garcia 04/07/2019",
    ],
)
def test_the_search_page_finds_the_patient(
    desk_client: Client, sydney: Any, others: list[Any], query: str
) -> None:
    assert _page_names(desk_client, query) == ["Garcia, Sydney"]


def test_a_birth_date_month_first_is_not_read_day_first(
    desk_client: Client, others: list[Any]
) -> None:
    assert _page_names(desk_client, "07/04/2019") == ["Garza, Mateo"]


def test_the_api_finds_by_phone_and_birth_date(desk_client: Client, sydney: Any) -> None:
    for query in ("555-014-2231", "04/07/2019"):
        found = desk_client.get("/api/v1/patients/", {"q": query}).json()
        assert [p["id"] for p in found] == [str(sydney.pk)]


def test_the_booking_picker_finds_by_phone(desk_client: Client, sydney: Any) -> None:
    response = desk_client.get("/schedule/patients/search/", {"patient_q": "(555) 014 2231"})
    assert f'value="{sydney.pk}"' in response.content.decode()


def test_another_organizations_patient_is_not_found_by_phone(client: Client, sydney: Any) -> None:
    client.force_login(desk_of(f.OrganizationFactory()))
    assert "Garcia" not in client.get("/patients/", {"q": "555-014-2231"}).content.decode()
    assert client.get("/api/v1/patients/", {"q": "555-014-2231"}).json() == []


def test_results_come_a_page_at_a_time(desk_client: Client, sydney: Any) -> None:
    for _ in range(30):
        f.PatientFactory(
            organization=sydney.organization, home_clinic=sydney.home_clinic, last_name="Garcia"
        )
    first = desk_client.get("/patients/", {"q": "Garcia"}).content.decode()
    assert "31 patients match" in first and "Page 1 of 2" in first
    assert len(re.findall(r'href="/patients/[0-9a-f-]{36}/"', first)) == 25
    second = desk_client.get("/patients/", {"q": "Garcia", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second
    api = desk_client.get("/api/v1/patients/", {"q": "Garcia", "limit": 10, "offset": 25})
    assert len(api.json()) == 6
    capped = desk_client.get("/api/v1/patients/", {"q": "Garcia", "limit": 500, "offset": -3})
    assert len(capped.json()) == 31  # a negative offset reads from the first match
