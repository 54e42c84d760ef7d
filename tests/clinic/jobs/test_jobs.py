"""Billing runs as background jobs: queued by the page, run by a worker through the database
backend, progress and errors recorded, twice the same as once, nothing half-written, and seen
only by those who may start them."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otclinic.clinic.jobs.models import JobKind, JobRun, JobStatus
from otclinic.clinic.jobs.progress import JobProgress
from otclinic.clinic.jobs.services import job_start
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.revenue import charges, claim_assembly
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.models import Charge, ChargeStatus, Claim
from tests.clinic import factories as f
from tests.clinic.jobs.helpers import finish, job_of
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 1))


@pytest.fixture
def b() -> Billing:
    return billing_practice()


@pytest.fixture
def biller(client: Client, b: Billing) -> Client:
    client.force_login(b.biller)
    return client


def test_create_charges_is_queued_by_the_page_and_done_by_a_worker(
    biller: Client, b: Billing
) -> None:
    note(b, day=dt.date(2026, 3, 10))
    note(b, day=dt.date(2026, 3, 11))
    response = biller.post("/billing/claims/charges/")
    job = job_of(response)
    # The request only queued it: nothing is billed until a worker runs it.
    assert job.status == JobStatus.QUEUED and job.started_by == b.biller
    assert not Charge.objects.exists()
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.status == "READY" and queued.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    waiting = biller.get(f"/jobs/{job.pk}/").content.decode()
    assert "Waiting for a worker" in waiting and 'hx-trigger="every 2s"' in waiting

    page = finish(biller, response)
    assert "2 charge(s) created from 2 signed note(s)." in page
    assert 'hx-trigger="every 2s"' not in page  # finished: the page stops polling
    assert 'href="/billing/claims/"' in page  # and links to what it made
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert job.result["counts"] == {"notes_billed": 2, "charges_created": 2}
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"
    assert Charge.objects.count() == 2


def test_each_note_left_aside_names_the_patient_the_date_and_links_the_note(
    biller: Client, b: Billing
) -> None:
    note(b, day=dt.date(2026, 3, 10))
    without_fee = note(b, day=dt.date(2027, 1, 5))  # no 2027 fee schedule
    page = finish(biller, biller.post("/billing/claims/charges/"))
    assert "1 charge(s) created from 1 signed note(s). 1 note(s) left aside." in page
    [error] = JobRun.objects.get().errors
    assert error["message"].startswith("no 2027 fee for 97530 in Medicare Part B's")
    assert error == {
        "message": error["message"],
        "patient": f"{b.patient.last_name}, {b.patient.first_name}",
        "patient_id": str(b.patient.pk),  # for the read entry of the job page
        "date_of_service": "2027-01-05",
        "url": f"/care/notes/{without_fee.pk}/",
    }
    assert f'<a href="/care/notes/{without_fee.pk}/">Open</a>' in page
    assert b.patient.last_name in page and "2027-01-05" in page


def test_creating_charges_twice_creates_nothing_the_second_time(biller: Client, b: Billing) -> None:
    note(b)
    finish(biller, biller.post("/billing/claims/charges/"))
    charges = list(Charge.objects.values_list("pk", flat=True))
    page = finish(biller, biller.post("/billing/claims/charges/"))
    assert "0 charge(s) created from 0 signed note(s)." in page
    assert list(Charge.objects.values_list("pk", flat=True)) == charges


def test_assembly_that_fails_halfway_leaves_no_claim_and_can_run_again(
    biller: Client, b: Billing, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # One line per claim, so two claims: the second one fails.
    monkeypatch.setattr(claim_assembly, "MAX_LINES", 1)
    note(b, day=dt.date(2026, 3, 10))
    note(b, day=dt.date(2026, 3, 11))
    charges_create_for_signed_notes(user=b.biller)
    real = claim_assembly._claim_from_charges
    calls = []

    def fails_on_the_second(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError(f"disk full while writing {b.patient.last_name}")
        return real(*args)

    monkeypatch.setattr(claim_assembly, "_claim_from_charges", fails_on_the_second)
    response = biller.post("/billing/claims/assemble/")
    page = finish(biller, response)
    job = job_of(response)
    assert job.status == JobStatus.FAILED and len(calls) == 2
    assert "The job stopped on an unexpected error (RuntimeError)" in page
    assert not Claim.objects.exists()  # the first claim was rolled back with the second
    assert set(Charge.objects.values_list("status", flat=True)) == {ChargeStatus.UNBILLED}
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.status == "FAILED"
    assert b.patient.last_name not in task.traceback  # no PHI kept in the queue's traceback
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert failures  # the failure is logged, with its frames, but not the error's words
    assert "_claim_from_charges" in caplog.text
    assert b.patient.last_name not in caplog.text

    monkeypatch.setattr(claim_assembly, "_claim_from_charges", real)
    again = finish(biller, biller.post("/billing/claims/assemble/"))
    assert "2 draft claim(s) assembled" in again
    assert Claim.objects.count() == 2


def test_charges_that_fail_halfway_keep_each_finished_batch_whole(
    biller: Client, b: Billing, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = note(b, ("97530", {"therapist_minutes": 38}), day=dt.date(2026, 3, 10))
    second = note(
        b,
        ("97530", {"therapist_minutes": 38}),
        ("97110", {"therapist_minutes": 15}),
        day=dt.date(2026, 3, 11),
    )
    monkeypatch.setattr(charges, "BATCH_NOTES", 1)  # one note per transaction
    real_audit = charges.audit_bulk

    def audit(**kwargs: Any) -> Any:
        # The second note's charges are inserted, then the run fails before its batch commits.
        if Charge.objects.filter(pk__in=kwargs["object_ids"], note=second).exists():
            raise RuntimeError("connection lost")
        return real_audit(**kwargs)

    monkeypatch.setattr(charges, "audit_bulk", audit)
    finish(biller, biller.post("/billing/claims/charges/"))
    # The first note is billed whole; of the second, not even its first line is kept.
    assert set(Charge.objects.values_list("note_id", flat=True)) == {first.pk}
    monkeypatch.setattr(charges, "audit_bulk", real_audit)
    page = finish(biller, biller.post("/billing/claims/charges/"))
    assert "2 charge(s) created from 1 signed note(s)." in page
    assert Charge.objects.filter(note=second).count() == 2


def test_progress_is_written_every_so_often_not_per_row(b: Billing) -> None:
    job = JobRun.objects.create(organization=b.org, kind=JobKind.CHARGES, started_by=b.biller)
    now = [0.0]
    progress = JobProgress(job_id=job.pk, every=1.0, clock=lambda: now[0])
    progress.begin(total=1024, step="Creating charges")
    for _ in range(1024):
        now[0] += 1 / 128  # 128 rows a second (an exact binary fraction: no rounding)
        progress.advance()
    # One write to begin, then one a second: 8 seconds of work, 9 writes for 1,024 rows.
    assert progress.writes == 9
    job.refresh_from_db()
    assert (job.done, job.total, job.step) == (1024, 1024, "Creating charges")


def test_the_progress_partial_polls_while_running_and_stops_when_done(
    biller: Client, b: Billing
) -> None:
    job = JobRun.objects.create(
        organization=b.org,
        kind=JobKind.CHARGES,
        started_by=b.biller,
        status=JobStatus.RUNNING,
        done=3,
        total=12,
        step="Creating charges from signed notes",
    )
    partial = biller.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert 'hx-trigger="every 2s"' in partial
    assert "Creating charges from signed notes: 3 of 12" in partial
    assert '<progress max="12" value="3"' in partial
    JobRun.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, result={"summary": "12 charge(s) created."}
    )
    partial = biller.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "12 charge(s) created." in partial and "hx-trigger" not in partial


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk"])
def test_only_those_who_may_start_a_job_may_see_it(client: Client, b: Billing, role: str) -> None:
    job = job_start(user=b.biller, kind=JobKind.CHARGES)
    client.force_login(f.staff_user(organization=b.org, role=role))
    assert client.post("/billing/claims/charges/").status_code == 403
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    assert client.get(f"/jobs/{job.pk}/progress/").status_code == 403
    assert client.get("/jobs/").status_code == 403
    assert JobRun.objects.count() == 1


def test_another_organizations_biller_gets_404_and_sees_no_job_in_the_list(
    client: Client, b: Billing
) -> None:
    job = job_start(user=b.biller, kind=JobKind.CHARGES)
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="biller")
    client.force_login(stranger)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/progress/").status_code == 404
    assert str(job.pk) not in client.get("/jobs/").content.decode()


def test_a_task_delivered_twice_runs_the_job_once(b: Billing) -> None:
    note(b)
    job = job_start(user=b.biller, kind=JobKind.CHARGES)
    assert run_queued_tasks() == 1
    from otclinic.clinic.jobs.tasks import run_job

    assert run_job.call(str(job.pk)) == {"status": "skipped"}
    assert Charge.objects.count() == 1


def test_scrubbing_the_drafts_lists_each_claims_errors_with_a_link_to_the_claim(
    biller: Client, b: Billing
) -> None:
    b.ot.licenses.update(expires_on=dt.date(2026, 1, 31))
    note(b)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    page = finish(biller, biller.post("/billing/claims/scrub/"))
    assert "1 draft claim(s) scrubbed: 0 without errors, 1 to correct." in page
    errors = JobRun.objects.get().errors
    assert errors and all(e["url"] == f"/billing/claims/{claim.pk}/" for e in errors)
    assert any("no OH license in force" in e["message"] for e in errors)
    assert {e["date_of_service"] for e in errors} == {claim.first_service_on.isoformat()}
    assert f'<a href="/billing/claims/{claim.pk}/">Open</a>' in page


def test_a_double_tapped_button_queues_one_job(biller: Client, b: Billing) -> None:
    first = job_of(biller.post("/billing/claims/charges/"))
    second = job_of(biller.post("/billing/claims/charges/"))
    assert first == second and DBTaskResult.objects.count() == 1
    run_queued_tasks()
    third = job_of(biller.post("/billing/claims/charges/"))  # the first is done: a new run
    assert third != first and JobRun.objects.count() == 2
