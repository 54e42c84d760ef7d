"""Every resource the server returns is valid FHIR (fhir.resources R4B, the R4 structures)."""

from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from otclinic.clinic.fhir.access import FINANCIAL_TYPES
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.domain.fhir.terminology import PROFILES
from tests.clinic import factories as f
from tests.clinic.fhir.records import Record, ids_by_type

pytestmark = pytest.mark.django_db


def validated(resource: dict[str, Any]) -> Any:
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def reader(fhir: Client, record: Record, resource_type: str) -> Client:
    """The OT of the fixture; the billing office for the financial types, which clinicians do
    not read (tests/clinic/fhir/test_financial.py)."""
    if resource_type in FINANCIAL_TYPES:
        fhir.force_login(f.staff_user(organization=record.org, role="biller"))
    return fhir


def test_the_record_covers_every_served_type(record: Record) -> None:
    assert set(ids_by_type(record)) == set(TYPES)


@pytest.mark.parametrize("resource_type", sorted(TYPES))
def test_each_resource_read_by_id_is_valid_fhir_with_its_profile(
    fhir: Client, record: Record, resource_type: str
) -> None:
    fhir = reader(fhir, record, resource_type)
    for pk in ids_by_type(record)[resource_type]:
        response = fhir.get(f"/fhir/R4/{resource_type}/{pk}")
        assert response.status_code == 200, response.content[:400]
        assert response["Content-Type"] == "application/fhir+json"
        body = response.json()
        validated(body)
        assert body["id"] == str(pk)
        if PROFILES[resource_type]:
            assert body["meta"]["profile"] == [PROFILES[resource_type]]


@pytest.mark.parametrize("resource_type", sorted(TYPES))
def test_each_search_bundle_is_valid_and_holds_the_records(
    fhir: Client, record: Record, resource_type: str
) -> None:
    response = reader(fhir, record, resource_type).get(f"/fhir/R4/{resource_type}")
    assert response.status_code == 200, response.content[:400]
    bundle = response.json()
    validated(bundle)
    found = {e["resource"]["id"] for e in bundle["entry"]}
    assert {str(pk) for pk in ids_by_type(record)[resource_type]} <= found


def test_metadata_lists_exactly_the_served_types_and_validates(client: Client) -> None:
    response = client.get("/fhir/R4/metadata")
    assert response.status_code == 200
    statement = response.json()
    validated(statement)
    served = statement["rest"][0]["resource"]
    assert [r["type"] for r in served] == sorted(TYPES)
    patient = next(r for r in served if r["type"] == "Patient")
    assert {"_id", "identifier", "name", "birthdate", "gender"} <= {
        p["name"] for p in patient["searchParam"]
    }
    role = next(r for r in served if r["type"] == "PractitionerRole")
    assert role["searchInclude"] == ["PractitionerRole:practitioner"]
    assert next(r for r in served if r["type"] == "Coverage")["searchInclude"] == [
        "Coverage:patient"
    ]
