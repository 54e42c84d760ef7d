"""FHIR Bulk Data export ($export): kick-off, the job, the status URL, the files, cancel,
expiry, isolation and the audit entry."""

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.care.models import Goal
from otclinic.clinic.fhir import catalog
from otclinic.clinic.fhir.bulk.files import folder
from otclinic.clinic.fhir.bulk.models import BulkExport, ExportStatus
from otclinic.clinic.fhir.bulk.services import exports_expire
from otclinic.clinic.fhir.sources import Source
from otclinic.clinic.jobs.worker import run_queued_tasks
from tests.clinic import factories as f
from tests.clinic.fhir.records import Record, full_record
from tests.clock import now

pytestmark = pytest.mark.django_db

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def admin(record: Record) -> Any:
    return f.staff_user(organization=record.org, role="clinic_admin")


@pytest.fixture
def api(client: Client, admin: Any) -> Client:
    client.force_login(admin)
    return client


def kickoff(client: Client, path: str = "/fhir/R4/$export", **query: str) -> str:
    response = client.get(path, query, headers=ASYNC)
    assert response.status_code == 202, response.content[:400]
    return str(response["Content-Location"]).split("/fhir/R4/", 1)[1]


def finished(client: Client, status_path: str) -> dict[str, Any]:
    run_queued_tasks()
    response = client.get(f"/fhir/R4/{status_path}")
    assert response.status_code == 200, response.content[:400]
    return response.json()


def lines(client: Client, url: str) -> list[dict[str, Any]]:
    response = client.get(
        url.split("testserver", 1)[1], headers={"Accept": "application/fhir+ndjson"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


def exported(client: Client, manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest["output"]:
        found.setdefault(entry["type"], []).extend(lines(client, entry["url"]))
    return found


def the_runs_audit_entry() -> AuditEvent:
    """Run the queued export: the one read entry it writes."""
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    run_queued_tasks()
    entries = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("-seq")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry is not None
    return entry


def test_a_system_export_writes_every_type_as_valid_ndjson(api: Client, record: Record) -> None:
    manifest = finished(api, kickoff(api))
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/R4/$export")
    assert manifest["error"] == []
    resources = exported(api, manifest)
    assert set(resources) == set(catalog.TYPES)
    for entry in manifest["output"]:
        assert entry["count"] == len(lines(api, entry["url"]))
    for type_name, found in resources.items():
        for resource in found:
            assert resource["resourceType"] == type_name
            get_fhir_model_class(type_name).model_validate(resource)
    assert [p["id"] for p in resources["Patient"]] == [str(record.patient.pk)]


def test_another_organizations_patients_never_appear(api: Client, record: Record) -> None:
    other = full_record()
    manifest = finished(api, kickoff(api, "/fhir/R4/Patient/$export"))
    text = json.dumps(exported(api, manifest))
    assert str(record.patient.pk) in text
    assert str(other.patient.pk) not in text
    assert other.patient.last_name not in text


def test_type_limits_the_files_and_an_unknown_type_is_400(api: Client, record: Record) -> None:
    manifest = finished(api, kickoff(api, _type="Goal,Patient"))
    assert {e["type"] for e in manifest["output"]} == {"Goal", "Patient"}
    refused = api.get("/fhir/R4/$export", {"_type": "Spaceship"}, headers=ASYNC)
    assert refused.status_code == 400
    assert refused.json()["issue"][0]["expression"] == ["_type"]


def test_since_keeps_only_what_changed_after_it(api: Client, record: Record) -> None:
    since = now() + dt.timedelta(hours=1)
    Goal.objects.filter(pk=record.goal.pk).update(updated_at=since + dt.timedelta(minutes=5))
    manifest = finished(api, kickoff(api, _type="Goal,Patient", _since=since.isoformat()))
    resources = exported(api, manifest)
    assert [g["id"] for g in resources["Goal"]] == [str(record.goal.pk)]
    assert "Patient" not in resources


def test_a_group_export_holds_its_members_only(api: Client, record: Record) -> None:
    elsewhere = f.PatientFactory(organization=record.org)
    assert elsewhere.home_clinic_id != record.patient.home_clinic_id
    group = record.patient.home_clinic_id
    manifest = finished(api, kickoff(api, f"/fhir/R4/Group/{group}/$export", _type="Patient"))
    assert [p["id"] for p in exported(api, manifest)["Patient"]] == [str(record.patient.pk)]
    payer = finished(api, kickoff(api, f"/fhir/R4/Group/{record.coverage.payer_id}/$export"))
    assert [p["id"] for p in exported(api, payer)["Patient"]] == [str(record.patient.pk)]


def test_groups_are_read_and_searched_with_their_members(api: Client, record: Record) -> None:
    group = api.get(f"/fhir/R4/Group/{record.patient.home_clinic_id}").json()
    get_fhir_model_class("Group").model_validate(group)
    assert group["member"] == [{"entity": {"reference": f"Patient/{record.patient.pk}"}}]
    # `name` searches the clinic's or the payer's own name.
    bundle = api.get("/fhir/R4/Group", {"name": record.coverage.payer.name}).json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(record.coverage.payer_id)]


def test_kickoff_without_respond_async_is_400(api: Client) -> None:
    response = api.get("/fhir/R4/$export")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_therapist_may_not_export_the_organization_but_may_export_a_group(
    fhir: Client, record: Record
) -> None:
    assert fhir.get("/fhir/R4/$export", headers=ASYNC).status_code == 403
    assert fhir.get("/fhir/R4/Patient/$export", headers=ASYNC).status_code == 403
    group = f"/fhir/R4/Group/{record.patient.home_clinic_id}/$export"
    assert fhir.get(group, headers=ASYNC).status_code == 202


def test_while_it_runs_the_status_says_how_far_and_when_to_ask_again(api: Client) -> None:
    status = kickoff(api)
    response = api.get(f"/fhir/R4/{status}")
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert response["X-Progress"] == "queued"


def test_another_organization_and_another_user_get_404(
    api: Client, record: Record, client: Client
) -> None:
    status = kickoff(api)
    run_queued_tasks()
    url = json.loads(api.get(f"/fhir/R4/{status}").content)["output"][0]["url"]
    stranger = Client()
    stranger.force_login(f.staff_user(organization=full_record().org, role="clinic_admin"))
    colleague = Client()
    colleague.force_login(f.staff_user(organization=record.org, role="clinic_admin"))
    for other in (stranger, colleague):
        assert other.get(f"/fhir/R4/{status}").status_code == 404
        assert other.get(url.split("testserver", 1)[1]).status_code == 404
        assert other.delete(f"/fhir/R4/{status}").status_code == 404
    assert api.get(f"/fhir/R4/{status}").status_code == 200


def test_delete_cancels_and_removes_the_files(api: Client, record: Record) -> None:
    status = kickoff(api, _type="Patient")
    run_queued_tasks()
    export = BulkExport.objects.get()
    path = f"{folder(organization_id=export.organization_id, export_id=export.pk)}/Patient-1.ndjson"
    assert default_storage.exists(path)
    assert api.delete(f"/fhir/R4/{status}").status_code == 202
    assert not default_storage.exists(path)
    assert api.get(f"/fhir/R4/{status}").status_code == 404


def test_a_cancelled_queued_export_writes_nothing(api: Client) -> None:
    status = kickoff(api)
    api.delete(f"/fhir/R4/{status}")
    run_queued_tasks()
    export = BulkExport.objects.get()
    assert export.status == ExportStatus.CANCELLED
    assert export.output == []


def test_expired_exports_lose_their_files(api: Client, record: Record) -> None:
    status = kickoff(api, _type="Patient")
    run_queued_tasks()
    export = BulkExport.objects.get()
    path = f"{folder(organization_id=export.organization_id, export_id=export.pk)}/Patient-1.ndjson"
    assert exports_expire(now=timezone.now()) == 0
    assert exports_expire(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not default_storage.exists(path)
    assert api.get(f"/fhir/R4/{status}").status_code == 404


def test_a_type_is_split_past_the_file_size(api: Client, record: Record, settings: Any) -> None:
    f.PatientFactory(organization=record.org)
    settings.OTCLINIC_FHIR_EXPORT_FILE_BYTES = 10
    manifest = finished(api, kickoff(api, _type="Patient"))
    assert [(e["type"], e["count"]) for e in manifest["output"]] == [("Patient", 1), ("Patient", 1)]


def test_a_failing_mapper_goes_to_the_error_file(
    api: Client, record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal_type = catalog.TYPES["Goal"]
    (source,) = goal_type.sources

    def broken(row: Any, ctx: Any) -> dict[str, Any]:
        raise KeyError("measure")

    monkeypatch.setitem(
        catalog.TYPES,
        "Goal",
        type(goal_type)(
            "Goal", (Source(**{**source.__dict__, "mapper": broken}),), goal_type.search
        ),
    )
    manifest = finished(api, kickoff(api, _type="Goal,Patient"))
    assert [e["type"] for e in manifest["output"]] == ["Patient"]
    (error,) = manifest["error"]
    assert error["type"] == "OperationOutcome"
    (problem,) = lines(api, error["url"])
    get_fhir_model_class("OperationOutcome").model_validate(problem)
    assert (
        problem["issue"][0]["diagnostics"]
        == f"Goal/{record.goal.pk} could not be exported (KeyError)"
    )


def test_one_audit_entry_names_every_patient_exported(
    api: Client, record: Record, admin: Any
) -> None:
    second = f.PatientFactory(organization=record.org)
    kickoff(api, "/fhir/R4/Patient/$export")
    entry = the_runs_audit_entry()
    assert sorted(entry.object_ids) == sorted([str(record.patient.pk), str(second.pk)])
    assert entry.actor_id == admin.pk
    assert entry.detail == f"FHIR bulk export {BulkExport.objects.get().pk}"


def test_anonymous_callers_get_401(client: Client) -> None:
    assert client.get("/fhir/R4/$export", headers=ASYNC).status_code == 401


def test_a_group_that_is_not_an_id_is_404(api: Client) -> None:
    response = api.get("/fhir/R4/Group/not-a-group/$export", headers=ASYNC)
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_an_export_the_storage_refuses_fails_with_a_500_outcome_and_keeps_no_file(
    api: Client, record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = kickoff(api, _type="Patient,Goal")
    real_save = default_storage.save
    saved: list[str] = []

    def save_then_refuse(name: str, content: Any, **kwargs: Any) -> str:
        if saved:
            raise OSError("no space left on device")
        saved.append(real_save(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", save_then_refuse)
    assert run_queued_tasks() == 1
    monkeypatch.undo()
    response = api.get(f"/fhir/R4/{status}")
    assert response.status_code == 500
    assert response.json()["issue"][0]["diagnostics"] == "the export stopped (OSError)"
    assert saved
    assert not default_storage.exists(saved[0])


def test_an_api_token_kicks_off_polls_and_downloads(client: Client, admin: Any) -> None:
    token = f.bearer(admin, "read")
    response = client.get("/fhir/R4/Patient/$export", {"_type": "Patient"}, headers=ASYNC | token)
    assert response.status_code == 202
    status = str(response["Content-Location"]).split("testserver", 1)[1]
    run_queued_tasks()
    manifest = client.get(status, headers=token).json()
    (entry,) = manifest["output"]
    assert client.get(entry["url"].split("testserver", 1)[1], headers=token).status_code == 200
    # Cancelling is a write: a read-only token may not.
    assert client.delete(status, headers=token).status_code == 403
    assert client.delete(status, headers=f.bearer(admin, "read", "write")).status_code == 202


def test_a_revoked_or_unknown_token_is_401(client: Client) -> None:
    response = client.get("/fhir/R4/$export", headers=ASYNC | {"Authorization": "Bearer nope"})
    assert response.status_code == 401
