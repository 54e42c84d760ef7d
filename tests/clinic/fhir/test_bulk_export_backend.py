"""FHIR Bulk Data export by a SMART Backend Services client: a token from a signed JWT kicks
off a system or Group export of its organization, polls, downloads and cancels it; nobody else
follows it; its scopes bound the types; the audit entry names the client."""

import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from otclinic.clinic.fhir.bulk.files import folder
from otclinic.clinic.fhir.bulk.models import BulkExport, ExportStatus
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.smart import services as smart_services
from otclinic.clinic.smart.models import SmartClient
from tests.clinic.fhir.records import Record, full_record
from tests.clinic.fhir.test_bulk_export import the_runs_audit_entry
from tests.clinic.smart.helpers import (
    admin_of,
    assertion,
    ec_key,
    launch,
    register_app,
    register_backend,
    system_token,
)

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}


def token_of(client: SmartClient, key: Any, scope: str = "system/*.rs") -> dict[str, str]:
    """A fresh access token of the client (a new signed assertion each time), as headers."""
    response = system_token(assertion(client, key), scope)
    assert response.status_code == 200, response.content[:300]
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def path_of(url: str) -> str:
    return url.split("testserver", 1)[1]


def kickoff(auth: dict[str, str], path: str = "/fhir/R4/$export", **query: str) -> str:
    response = Client().get(path, query, headers=ASYNC | auth)
    assert response.status_code == 202, response.content[:400]
    return path_of(str(response["Content-Location"]))


def manifest_of(auth: dict[str, str], status: str) -> dict[str, Any]:
    run_queued_tasks()
    response = Client().get(status, headers=auth)
    assert response.status_code == 200, response.content[:400]
    return response.json()


def resources(auth: dict[str, str], manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every line of every file, by type; each line validated as its FHIR resource."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest["output"]:
        response = Client().get(path_of(entry["url"]), headers=auth)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        for line in b"".join(response.streaming_content).decode().splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == entry["type"]
            get_fhir_model_class(entry["type"]).model_validate(resource)
            found.setdefault(entry["type"], []).append(resource)
    return found


@pytest.fixture
def stranger() -> Record:
    """Another organization, with patients of its own."""
    return full_record()


@pytest.fixture
def key() -> Any:
    return ec_key()


@pytest.fixture
def service(record: Record, key: Any) -> SmartClient:
    return register_backend(record.org, key)


def test_a_backend_client_exports_every_patient_of_its_organization_and_no_other(
    record: Record, stranger: Record, service: SmartClient, key: Any
) -> None:
    neighbour = full_record(org=record.org)
    auth = token_of(service, key)
    manifest = manifest_of(auth, kickoff(auth))
    assert manifest["requiresAccessToken"] is True
    assert manifest["error"] == []
    found = resources(auth, manifest)
    assert {p["id"] for p in found["Patient"]} == {
        str(record.patient.pk),
        str(neighbour.patient.pk),
    }
    assert {g["id"] for g in found["Goal"]} == {str(record.goal.pk), str(neighbour.goal.pk)}
    text = json.dumps(found)
    assert str(stranger.patient.pk) not in text
    assert stranger.patient.last_name not in text
    export = BulkExport.objects.get()
    assert (export.client_id, export.requested_by_id) == (service.pk, None)
    assert export.scopes == ["system/*.rs"]


def test_a_backend_client_exports_a_group_of_its_organization(
    record: Record, stranger: Record, service: SmartClient, key: Any
) -> None:
    full_record(org=record.org)
    group = record.patient.home_clinic_id
    members = {
        str(pk) for pk in Patient.objects.filter(home_clinic_id=group).values_list("pk", flat=True)
    }
    assert members and len(members) < Patient.objects.filter(organization=record.org).count()
    auth = token_of(service, key)
    status = kickoff(auth, f"/fhir/R4/Group/{group}/$export", _type="Patient,Goal")
    found = resources(auth, manifest_of(auth, status))
    assert {p["id"] for p in found["Patient"]} == members
    assert {g["subject"]["reference"] for g in found["Goal"]} <= {f"Patient/{m}" for m in members}
    # Another organization's group is not found.
    elsewhere = f"/fhir/R4/Group/{stranger.patient.home_clinic_id}/$export"
    assert Client().get(elsewhere, headers=ASYNC | auth).status_code == 404


def test_the_client_follows_its_export_with_a_later_token_and_nobody_else_does(
    record: Record, stranger: Record, service: SmartClient, key: Any
) -> None:
    status = kickoff(token_of(service, key), _type="Patient")
    later = token_of(service, key)
    url = path_of(manifest_of(later, status)["output"][0]["url"])
    assert Client().get(url, headers=later).status_code == 200
    other_key = ec_key("k2")
    colleague = token_of(register_backend(record.org, other_key), other_key)
    foreign = token_of(register_backend(stranger.org, other_key), other_key)
    admin = Client()
    admin.force_login(admin_of(record.org))
    for other in (colleague, foreign):
        assert Client().get(status, headers=other).status_code == 404
        assert Client().get(url, headers=other).status_code == 404
        assert Client().delete(status, headers=other).status_code == 404
    # The clinic's administrator did not start it either.
    assert admin.get(status).status_code == 404
    assert admin.get(url).status_code == 404
    assert Client().delete(status, headers=later).status_code == 202
    assert Client().get(status, headers=later).status_code == 404


def test_a_client_does_not_follow_a_users_export(
    record: Record, service: SmartClient, key: Any
) -> None:
    admin = Client()
    admin.force_login(admin_of(record.org))
    response = admin.get("/fhir/R4/$export", {"_type": "Patient"}, headers=ASYNC)
    status = path_of(str(response["Content-Location"]))
    run_queued_tasks()
    assert admin.get(status).status_code == 200
    assert Client().get(status, headers=token_of(service, key)).status_code == 404


def test_the_scopes_bound_the_types(record: Record, service: SmartClient, key: Any) -> None:
    auth = token_of(service, key, "system/Patient.rs")
    refused = Client().get("/fhir/R4/$export", {"_type": "Patient,Goal"}, headers=ASYNC | auth)
    assert refused.status_code == 400
    assert refused.json()["issue"][0]["expression"] == ["_type"]
    manifest = manifest_of(auth, kickoff(auth))
    assert [e["type"] for e in manifest["output"]] == ["Patient"]
    assert BulkExport.objects.get().scopes == ["system/Patient.rs"]


def test_the_audit_entry_names_the_client(record: Record, service: SmartClient, key: Any) -> None:
    auth = token_of(service, key)
    kickoff(auth, "/fhir/R4/Patient/$export", _type="Patient")
    entry = the_runs_audit_entry()
    assert entry.object_ids == [str(record.patient.pk)]
    assert (entry.actor_id, entry.actor_role) == (None, "smart-client")
    assert entry.organization_id == record.org.pk
    export = BulkExport.objects.get()
    assert entry.detail == (
        f"FHIR bulk export, by SMART client {service.application.client_id} {export.pk}"
    )


def test_a_revoked_clients_export_stops_and_its_files_are_out_of_reach(
    record: Record, service: SmartClient, key: Any
) -> None:
    auth = token_of(service, key)
    done = kickoff(auth, _type="Patient")
    url = path_of(manifest_of(auth, done)["output"][0]["url"])
    queued = kickoff(auth, _type="Patient")
    smart_services.client_revoke(user=admin_of(record.org), client_id=service.pk)
    run_queued_tasks()
    stopped = BulkExport.objects.get(status=ExportStatus.FAILED)
    assert stopped.failure == "the export stopped: the SMART client was revoked"
    assert stopped.output == []
    prefix = folder(organization_id=record.org.pk, export_id=stopped.pk)
    assert not default_storage.exists(f"{prefix}/Patient-1.ndjson")
    for path in (done, queued, url):
        assert Client().get(path, headers=auth).status_code == 401


def test_a_persons_app_exports_what_its_granted_scopes_read(record: Record, client: Client) -> None:
    """The export stores the scopes granted (not the types they allow), and reads with them."""
    client.force_login(admin_of(record.org))
    token = launch(client, register_app(record.org), "user/*.rs")
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    status = kickoff(auth, "/fhir/R4/Patient/$export", _type="Goal")
    found = resources(auth, manifest_of(auth, status))
    assert [g["id"] for g in found["Goal"]] == [str(record.goal.pk)]
    assert BulkExport.objects.get().scopes == ["user/*.rs"]
