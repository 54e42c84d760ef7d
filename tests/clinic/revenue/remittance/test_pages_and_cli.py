"""The remittance pages and `otclinic era import`: results, 422 for a bad file, roles."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otclinic.cli.era import era as era_cli
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.revenue import posting
from otclinic.clinic.revenue.models import (
    Denial,
    DenialStatus,
    LedgerEntry,
    PatientStatement,
    RemittanceClaim,
)
from tests.clinic import factories as f
from tests.clinic.jobs.helpers import finish
from tests.clinic.revenue.remittance.helpers import SAMPLES_835, era, ledger_sum, make_claim

pytestmark = pytest.mark.django_db

PAID = (
    "CLP*{pcn}*1*150.00*100.00*20.00*12*PAYER{pcn}~SVC*HC:97530*150.00*100.00~DTM*472*20260312~"
    "CAS*CO*45*30.00~CAS*PR*3*20.00"
)
DENIED = "CLP*{pcn}*4*150.00*0*0*12*X~SVC*HC:97530*150.00*0~DTM*472*20260312~CAS*CO*4*150.00"


@pytest.fixture
def billing(client: Client, biller: Any) -> Client:
    client.force_login(biller)
    return client


def upload(client: Client, content: bytes, name: str = "remit.835") -> Any:
    """Upload an 835; a readable one is queued, and a worker posts it before this returns."""
    response = client.post(
        "/billing/remittances/upload/", {"file": SimpleUploadedFile(name, content)}
    )
    if response.status_code == 302:
        run_queued_tasks()
    return response


def test_the_upload_page_has_a_labelled_file_input(billing: Client) -> None:
    body = billing.get("/billing/remittances/upload/").content.decode()
    assert '<label for="id_file">835 remittance file' in body
    assert 'type="file"' in body and 'enctype="multipart/form-data"' in body


def test_uploading_posts_and_a_second_upload_says_nothing_posted(billing: Client, org: Any) -> None:
    make_claim(organization=org, control_number="P1")
    content = era([PAID.format(pcn="P1"), DENIED.format(pcn="NOPE")]).encode()
    first = billing.post(
        "/billing/remittances/upload/", {"file": SimpleUploadedFile("r.835", content)}
    )
    assert not LedgerEntry.objects.exists()  # queued: a worker posts it
    body = finish(billing, first)
    assert "Result for r.835: Posted 1 claim(s)" in body and "NOPE" in body
    entries = LedgerEntry.objects.count()
    body = billing.get(upload(billing, content, "again.835")["Location"]).content.decode()
    assert "Nothing posted" in body and "already posted" in body
    assert LedgerEntry.objects.count() == entries


def test_a_bad_file_answers_422_with_the_segment_and_position(billing: Client) -> None:
    broken = era(["CLP*P1*1*150.00*12x.00*0*12*X"]).encode()
    response = upload(billing, broken)
    body = response.content.decode()
    assert response.status_code == 422
    assert "segment" in body and "CLP" in body and "nothing was posted" in body
    assert "Traceback" not in body
    assert upload(billing, b"not an 835 at all").status_code == 422
    assert billing.post("/billing/remittances/upload/", {}).status_code == 422


TOO_LARGE = "CLP*P1*1*12345678901234.00*100.00*0*12*X~SVC*HC:97530*150.00*100.00"


def test_an_amount_too_large_for_the_ledger_answers_422_naming_segment_and_claim(
    billing: Client,
) -> None:
    response = upload(billing, era([TOO_LARGE], payment="100.00").encode())
    body = response.content.decode()
    assert response.status_code == 422
    assert "segment 13 (CLP): CLP03 (claim P1): amount 12345678901234.00 is too large" in body
    assert not LedgerEntry.objects.exists()


def test_the_unmatched_queue_matches_a_claim_and_posts_it(billing: Client, org: Any) -> None:
    upload(billing, era([PAID.format(pcn="LOST")]).encode())
    rc = RemittanceClaim.objects.get()
    assert "LOST" in billing.get("/billing/remittances/unmatched/").content.decode()
    url = f"/billing/remittances/unmatched/{rc.pk}/"
    # The payer's claim status (CLP02) in words, with its code.
    assert "Processed as primary (1)" in billing.get(url).content.decode()
    assert billing.post(url, {"control_number": "NOSUCH"}).status_code == 422
    claim = make_claim(organization=org, control_number="FOUND")
    response = billing.post(url, {"control_number": "FOUND"})
    assert response.status_code == 302
    assert ledger_sum(claim=claim) == Decimal("20.00")
    assert "LOST" not in billing.get("/billing/remittances/unmatched/").content.decode()


def test_the_denials_queue_explains_and_a_denial_is_worked_from_its_page(
    billing: Client, org: Any
) -> None:
    note = f.TreatmentNoteFactory(episode__patient__organization=org)
    claim = make_claim(organization=org, control_number="D1")
    from otclinic.clinic.revenue.models import Charge

    line = claim.lines.get()
    line.charge = Charge.objects.create(
        organization=org,
        note=note,
        patient=note.episode.patient,
        date_of_service=line.date_of_service,
        code=line.code,
        units=1,
        amount=line.amount,
    )
    line.save()
    upload(billing, era([DENIED.format(pcn="D1")]).encode())
    body = billing.get("/billing/denials/").content.decode()
    assert "CARC 4" in body and "modifier" in body and "Correct the claim and resubmit it" in body
    denial = Denial.objects.get()
    page = billing.get(f"/billing/denials/{denial.pk}/").content.decode()
    assert f"/care/notes/{note.pk}/" in page
    assert "modifier.discipline" in page
    assert billing.post(f"/billing/denials/{denial.pk}/", {"action": "nonsense"}).status_code == 422
    response = billing.post(f"/billing/denials/{denial.pk}/", {"action": "write_off", "note": "ok"})
    assert response.status_code == 302
    denial.refresh_from_db()
    assert denial.status == DenialStatus.WRITTEN_OFF
    assert (
        billing.post(f"/billing/denials/{denial.pk}/", {"action": "write_off"}).status_code == 422
    )


def test_aging_page_shows_the_total_of_the_ledger(billing: Client, org: Any) -> None:
    make_claim(organization=org, control_number="P1")
    upload(billing, era([PAID.format(pcn="P1")]).encode())
    body = billing.get("/billing/aging/", {"as_of": "2026-04-01"}).content.decode()
    assert '<td id="aging-total">20.00</td>' in body
    assert billing.get("/billing/aging/", {"as_of": "yesterday"}).status_code == 422


def test_balance_page_and_statement_pdf(
    billing: Client, org: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    claim = make_claim(organization=org, control_number="P1")
    upload(billing, era([PAID.format(pcn="P1")]).encode())
    url = f"/billing/patients/{claim.patient_id}/balance/"
    assert '<span id="balance-due">20.00</span>' in billing.get(url).content.decode()
    assert claim.patient.last_name in billing.get("/billing/balances/").content.decode()
    response = billing.post(f"/billing/patients/{claim.patient_id}/statements/")
    assert response.status_code == 302
    statement = claim.patient.statements.get()
    pdf = billing.get(f"/billing/statements/{statement.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_statements_for_everyone_who_owes_are_drawn_by_a_job_once_a_day(
    billing: Client, org: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    claim = make_claim(organization=org, control_number="P1")
    upload(billing, era([PAID.format(pcn="P1")]).encode())
    page = finish(billing, billing.post("/billing/balances/statements/"))
    assert "1 statement(s) drawn for" in page
    statement = PatientStatement.objects.get(patient_id=claim.patient_id)
    assert f'href="/billing/statements/{statement.pk}/pdf/"' in page
    again = finish(billing, billing.post("/billing/balances/statements/"))
    assert "0 statement(s) drawn" in again and "1 patient(s) already had today" in again
    assert PatientStatement.objects.count() == 1


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk"])
@pytest.mark.parametrize(
    "path",
    ["/billing/remittances/upload/", "/billing/denials/", "/billing/aging/", "/billing/balances/"],
)
def test_roles_without_billing_are_refused(client: Client, org: Any, role: str, path: str) -> None:
    client.force_login(f.staff_user(organization=org, role=role))
    assert client.get(path).status_code == 403


def test_a_therapist_cannot_upload(client: Client, org: Any) -> None:
    client.force_login(f.staff_user(organization=org, role="OT"))
    assert upload(client, era([PAID.format(pcn="P1")]).encode()).status_code == 403
    assert not LedgerEntry.objects.exists()


# The command line ----------------------------------------------------------------------------


def test_era_import_prints_what_it_posted_and_nothing_the_second_time(
    org: Any, biller: Any
) -> None:
    sample = SAMPLES_835 / "lfh__managed-care.patched.835"
    make_claim(
        organization=org,
        control_number="5554555444",
        lines=[("99211", "800.00", dt.date(2002, 3, 1))],
    )
    args = ["import", str(sample), "--organization", org.slug, "--user", biller.username]
    result = CliRunner().invoke(era_cli, args)
    assert result.exit_code == 0, result.output
    assert "Posted 1 claim(s)" in result.output and "unmatched 8765432112" in result.output
    again = CliRunner().invoke(era_cli, args)
    assert again.exit_code == 0
    assert "nothing posted" in again.output and "Nothing posted." in again.output


def test_era_import_exits_2_on_a_bad_file(org: Any, biller: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.835"
    bad.write_text("ISA*garbage")
    result = CliRunner().invoke(
        era_cli, ["import", str(bad), "--organization", org.slug, "--user", biller.username]
    )
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output
    assert not LedgerEntry.objects.exists()


def test_era_import_exits_2_naming_an_amount_too_large(
    org: Any, biller: Any, tmp_path: Path
) -> None:
    path = tmp_path / "large.835"
    path.write_text(era([TOO_LARGE], payment="100.00"))
    result = CliRunner().invoke(
        era_cli, ["import", str(path), "--organization", org.slug, "--user", biller.username]
    )
    assert result.exit_code == 2
    assert result.output == (
        f"error: {path}: segment 13 (CLP): CLP03 (claim P1): amount 12345678901234.00 is too"
        " large (at most 9999999999.99)\n"
    )
    assert not posting.Remittance.objects.exists()


def test_era_import_refuses_a_user_of_another_organization(org: Any, biller: Any) -> None:
    other = f.OrganizationFactory()
    sample = SAMPLES_835 / "lfh__demo.835"
    result = CliRunner().invoke(
        era_cli, ["import", str(sample), "--organization", other.slug, "--user", biller.username]
    )
    assert result.exit_code == 1
    assert posting.Remittance.objects.count() == 0
