"""The inbox recognises each file by its ST01 and hands it to its import (999 and 277CA to the
acknowledgments, 277 to the claim status, 271 to eligibility, 835 to posting); a file it cannot
read stays, marked with the segment; the CLI and the periodic job run the same services; the
clearinghouse settings page keeps no secret and refuses a bad host key."""

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from otclinic.cli.clearinghouse import clearinghouse
from otclinic.clinic.clearinghouse import inbox, status, transport
from otclinic.clinic.clearinghouse.files import inbox_put
from otclinic.clinic.clearinghouse.models import FileState
from otclinic.clinic.payers.models import PayerConnection
from otclinic.clinic.revenue.models import ClaimStatus, Remittance
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import era, make_claim
from tests.domain.claims.clearinghouse.samples import DAMAGED, SUBSCRIBER_271
from tests.domain.claims.clearinghouse.test_status277 import ACKNOWLEDGMENT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kind"),
    [("ack.277", "277CA"), ("elig.271", "271"), ("era.835", "835")],
)
def test_each_file_is_recognised_by_its_st01_and_imported(
    org: Any, biller: Any, name: str, kind: str
) -> None:
    claim = make_claim(organization=org, control_number="CLM-00016")
    paid = "CLP*CLM-00016*1*150.00*100.00*20.00*12*PCN1~SVC*HC:97530*150.00*100.00**1~"
    paid += "DTM*472*20260312~CAS*CO*45*30.00~CAS*PR*2*20.00"
    data = {
        "ack.277": ACKNOWLEDGMENT.encode(),
        "elig.271": SUBSCRIBER_271.read_bytes(),
        "era.835": era([paid], payment="100.00").encode(),
    }[name]
    inbox.inbox_receive(user=biller, name=name, data=data)
    run = inbox.inbox_import(user=biller)
    assert run.failed == [], [r.outcome for r in run.failed]
    [record] = run.imported
    assert (record.kind, record.state) == (kind, FileState.IMPORTED)
    claim.refresh_from_db()
    if kind == "277CA":
        assert claim.status == ClaimStatus.ACCEPTED
    if kind == "835":
        assert Remittance.objects.filter(organization=org).count() == 1
    again = inbox.inbox_import(user=biller)
    assert (again.imported, again.failed) == ([], [])


@pytest.mark.parametrize("path", DAMAGED, ids=lambda p: p.name)
def test_a_damaged_file_stays_in_the_inbox_marked_with_the_segment(
    org: Any, biller: Any, path: Path
) -> None:
    inbox.inbox_receive(user=biller, name=path.name, data=path.read_bytes())
    run = inbox.inbox_import(user=biller)
    [record] = run.failed
    assert record.state == FileState.FAILED
    assert record.outcome.startswith("Not read: ") and "segment" in record.outcome


def test_the_cli_imports_files_and_asks_about_unanswered_claims(
    org: Any, biller: Any, tmp_path: Path
) -> None:
    path = tmp_path / "ack.277"
    path.write_text(ACKNOWLEDGMENT, encoding="ascii")
    args = ["--organization", org.slug, "--user", biller.username]
    done = CliRunner().invoke(clearinghouse, ["import", str(path), *args])
    assert done.exit_code == 0, done.output
    assert "ack.277 (277CA): 0 accepted, 0 rejected, 2 not matched" in done.output
    bad = tmp_path / "bad.277"
    bad.write_bytes(b"ISA*broken")
    assert CliRunner().invoke(clearinghouse, ["import", str(bad), *args]).exit_code == 2
    asked = CliRunner().invoke(clearinghouse, ["status-inquire", *args])
    assert asked.exit_code == 0 and "0 claim(s) asked about" in asked.output


def test_the_cli_without_a_user_acts_as_the_scheduled_biller_or_refuses(
    org: Any, biller: Any
) -> None:
    args = ["send", "--organization", org.slug]
    assert CliRunner().invoke(clearinghouse, args).exit_code == 1
    profile = status.profile_for(org.pk)
    profile.run_as = biller
    profile.save()
    done = CliRunner().invoke(clearinghouse, args)
    assert done.exit_code == 0, done.output
    assert "0 sent" in done.output


def test_a_therapist_may_not_use_the_cli(org: Any) -> None:
    ot = f.staff_user(organization=org, role="OT")
    done = CliRunner().invoke(
        clearinghouse, ["fetch", "--organization", org.slug, "--user", ot.username]
    )
    assert done.exit_code == 1


def test_the_periodic_jobs_run_for_each_clinic_with_a_scheduled_biller(
    org: Any, biller: Any
) -> None:
    assert transport.exchange_all() == "no clinic set up"
    profile = status.profile_for(org.pk)
    profile.run_as = biller
    profile.save()
    assert transport.exchange_all().startswith("1 clinic(s): 0 sent, 0 received")
    assert transport.status_inquire_all() == "1 clinic(s): 0 claim(s) asked about, 0 problem(s)"


def test_the_connection_page_saves_the_settings_and_refuses_a_bad_host_key(
    client: Client, org: Any, biller: Any
) -> None:
    payer = f.PayerFactory(organization=org)
    client.force_login(biller)
    url = f"/clearinghouse/payers/{payer.pk}/"
    assert client.get(url).status_code == 200
    fields = {
        "submitter_id": "SUB1",
        "receiver_id": "RCV1",
        "transport": "sftp",
        "kinds": ["837P", "276"],
        "sftp_host": "sftp.example.org",
        "sftp_port": "22",
        "sftp_username": "sunrise",
        "sftp_host_key": "not a key",
        "credential": "hunter2 is my password",
        "upload_path": "inbound",
        "download_path": "outbound",
    }
    refused = client.post(url, fields)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "OpenSSH line" in page and "not the password itself" in page
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    saved = client.post(url, {**fields, "sftp_host_key": key, "credential": "acme"})
    assert saved.status_code == 302
    connection = PayerConnection.objects.get(payer=payer)
    assert (connection.submitter_id, connection.kinds, connection.credential) == (
        "SUB1",
        ["837P", "276"],
        "acme",
    )


def test_another_organizations_payer_and_files_are_not_found(
    client: Client, org: Any, biller: Any
) -> None:
    other = f.OrganizationFactory()
    payer = f.PayerFactory(organization=other)
    record = inbox_put(organization_id=other.pk, name="x.277", data=b"ISA")
    client.force_login(biller)
    assert client.get(f"/clearinghouse/payers/{payer.pk}/").status_code == 404
    assert client.get(f"/clearinghouse/files/{record.pk}/").status_code == 404


def test_the_page_sends_fetches_and_saves_the_clinics_settings(
    client: Client, org: Any, biller: Any
) -> None:
    client.force_login(biller)
    page = client.get("/clearinghouse/").content.decode()
    assert "Ask about unanswered claims" in page and "Scheduled runs act as" in page
    sent = client.post("/clearinghouse/send/")
    assert sent.status_code == 200 and "Outbox sent" in sent.content.decode()
    fetched = client.post("/clearinghouse/fetch/")
    assert fetched.status_code == 200 and "Answers fetched" in fetched.content.decode()
    refused = client.post("/clearinghouse/settings/", {"status_after_days": "0"})
    assert refused.status_code == 422
    assert "greater than or equal to 1" in refused.content.decode()
    saved = client.post(
        "/clearinghouse/settings/", {"status_after_days": "45", "run_as": str(biller.pk)}
    )
    assert saved.status_code == 302
    profile = status.profile_for(org.pk)
    assert (profile.status_after_days, profile.run_as) == (45, biller)
