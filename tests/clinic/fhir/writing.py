"""Posting to the FHIR server in tests: JSON bodies, the answers validated with fhir.resources."""

import json
from typing import Any

from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from otclinic.domain.fhir.terminology import ICD10CM, LOCAL_SERVICE, NPI

BASE = "/fhir/R4"


def post(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(
        f"{BASE}/{path}".rstrip("/") + ("/" if not path else ""),
        json.dumps(body),
        content_type="application/fhir+json",
        headers=headers,
    )


def put(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.put(
        f"{BASE}/{path}", json.dumps(body), content_type="application/fhir+json", headers=headers
    )


def valid(body: dict[str, Any]) -> dict[str, Any]:
    """The resource (or Bundle, or OperationOutcome), after fhir.resources has validated it."""
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return body


def issue(response: Any) -> dict[str, Any]:
    body = valid(response.json())
    assert body["resourceType"] == "OperationOutcome", body
    return dict(body["issue"][0])


def patient_resource(**overrides: Any) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "name": [{"use": "official", "family": "Okafor", "given": ["Adaeze"]}],
        "gender": "female",
        "birthDate": "1948-02-11",
        "telecom": [{"system": "phone", "value": "555-0142"}],
        "address": [
            {"line": ["12 Elm St"], "city": "Columbus", "state": "OH", "postalCode": "43215"}
        ],
        **overrides,
    }


def referral_resource(patient_ref: str, physician: Any, **overrides: Any) -> dict[str, Any]:
    """An OT referral for the patient `patient_ref` names, from `physician` (by NPI) if given."""
    requester = {"identifier": {"system": NPI, "value": physician.npi}} if physician else None
    resource = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "code": {"coding": [{"system": LOCAL_SERVICE, "code": "OT"}]},
        "subject": {"reference": patient_ref},
        "requester": requester,
        "authoredOn": "2026-11-30",
        "reasonCode": [{"coding": [{"system": ICD10CM, "code": "I69.351"}]}],
        **overrides,
    }
    return {k: v for k, v in resource.items() if v is not None}


def bundle_of(kind: str, *entries: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    """A transaction or batch Bundle of POST entries: (fullUrl, type, resource) each."""
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [
            {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": type_}}
            for url, type_, resource in entries
        ],
    }
