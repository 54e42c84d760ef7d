"""The SFTP transport against a real SFTP server started by the test (asyncssh on 127.0.0.1):
the outbox goes up, the answers come down into the inbox and are imported; a server whose host
key is not the one kept is refused; the password never reaches the database or the log."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from otclinic.clinic.clearinghouse import transport
from otclinic.clinic.clearinghouse.files import outbox_put
from otclinic.clinic.clearinghouse.models import Direction, ExchangeFile, FileState
from otclinic.clinic.clearinghouse.sftp import _asyncssh, _run
from otclinic.clinic.payers.models import PayerConnection
from otclinic.clinic.revenue.models import ClaimStatus
from tests.clinic.clearinghouse.sftp_server import sftp_server
from tests.clinic.revenue.remittance.helpers import make_claim
from tests.domain.claims.clearinghouse.test_status277 import ACKNOWLEDGMENT

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def secrets(tmp_path: Path, settings: Any) -> Path:
    folder = tmp_path / "secrets"
    folder.mkdir()
    (folder / "acme.password").write_text(PASSWORD + "\n", encoding="utf-8")
    settings.CLEARINGHOUSE_SECRETS_DIR = folder
    return folder


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    root = tmp_path / "remote"
    (root / "inbound").mkdir(parents=True)
    (root / "outbound").mkdir()
    return root


def _connection(payer: Any, server: Any, **extra: Any) -> PayerConnection:
    fields = {
        "organization": payer.organization,
        "payer": payer,
        "transport": "sftp",
        "sftp_host": "127.0.0.1",
        "sftp_port": server.port,
        "sftp_username": "sunrise",
        "sftp_host_key": server.host_key,
        "credential": "acme",
        **extra,
    }
    return PayerConnection.objects.create(**fields)


def test_the_outbox_is_sent_and_the_answers_are_fetched_and_imported(
    org: Any, biller: Any, secrets: Path, remote: Path
) -> None:
    claim = make_claim(organization=org)
    payer = claim.coverage.payer
    waiting = outbox_put(
        organization_id=org.pk, kind="837P", payer=payer, name="837P-000000001-X.x12", data=b"ISA"
    )
    answer = ACKNOWLEDGMENT.replace("TRN*2*CLM-00016~", f"TRN*2*{claim.patient_control_number}~")
    (remote / "outbound" / "ack-1.277").write_text(answer, encoding="ascii")
    with sftp_server(remote, password=PASSWORD) as server:
        _connection(payer, server)
        sent = transport.clearinghouse_send(user=biller)
        fetched = transport.clearinghouse_fetch(user=biller)
    assert (sent.problems, fetched.problems) == ([], [])
    assert (remote / "inbound" / "837P-000000001-X.x12").read_bytes() == b"ISA"
    waiting.refresh_from_db()
    assert waiting.state == FileState.SENT
    [received] = fetched.received
    received.refresh_from_db()
    assert (received.kind, received.state) == ("277CA", FileState.IMPORTED)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED
    assert "password sunrise ok" in server.logins


def test_sending_and_fetching_twice_does_no_harm(
    org: Any, biller: Any, secrets: Path, remote: Path
) -> None:
    claim = make_claim(organization=org)
    outbox_put(
        organization_id=org.pk, kind="837P", payer=claim.coverage.payer, name="a.x12", data=b"A"
    )
    (remote / "outbound" / "ack.277").write_text(ACKNOWLEDGMENT, encoding="ascii")
    with sftp_server(remote, password=PASSWORD) as server:
        _connection(claim.coverage.payer, server)
        first = transport.clearinghouse_send(user=biller)
        (remote / "inbound" / "a.x12").unlink()
        again = transport.clearinghouse_send(user=biller)
        transport.clearinghouse_fetch(user=biller)
        second_fetch = transport.clearinghouse_fetch(user=biller)
    assert (len(first.sent), len(again.sent)) == (1, 0)
    assert not (remote / "inbound" / "a.x12").exists()
    assert second_fetch.received == []
    assert ExchangeFile.objects.filter(direction=Direction.IN).count() == 1


def test_a_server_with_another_host_key_is_refused_and_nothing_is_marked_sent(
    org: Any, biller: Any, secrets: Path, remote: Path
) -> None:
    claim = make_claim(organization=org)
    record = outbox_put(
        organization_id=org.pk, kind="837P", payer=claim.coverage.payer, name="a.x12", data=b"A"
    )
    impostor = _asyncssh().generate_private_key("ssh-ed25519").export_public_key().decode()
    with sftp_server(remote, password=PASSWORD) as server:
        _connection(claim.coverage.payer, server, sftp_host_key=impostor)
        run = transport.clearinghouse_send(user=biller)
    assert run.sent == [] and len(run.problems) == 1
    assert "SFTP failed" in run.problems[0]
    assert server.logins == []  # refused before any password was offered
    record.refresh_from_db()
    assert record.state == FileState.WAITING
    assert not list((remote / "inbound").iterdir())


def test_a_private_key_in_the_secrets_folder_logs_in(
    org: Any, biller: Any, secrets: Path, remote: Path
) -> None:
    asyncssh = _asyncssh()
    key = asyncssh.generate_private_key("ssh-ed25519")
    (secrets / "acme.password").unlink()
    key.write_private_key(str(secrets / "acme.key"))
    claim = make_claim(organization=org)
    outbox_put(
        organization_id=org.pk, kind="837P", payer=claim.coverage.payer, name="k.x12", data=b"K"
    )
    public = asyncssh.import_public_key(key.export_public_key())
    with sftp_server(remote, client_key=public) as server:
        _connection(claim.coverage.payer, server)
        run = transport.clearinghouse_send(user=biller)
    assert run.problems == [] and [r.file_name for r in run.sent] == ["k.x12"]
    assert set(server.logins) == {"key sunrise ok"}


def test_a_wrong_password_is_reported_without_the_password(
    org: Any, biller: Any, secrets: Path, remote: Path, caplog: pytest.LogCaptureFixture
) -> None:
    claim = make_claim(organization=org)
    outbox_put(
        organization_id=org.pk, kind="837P", payer=claim.coverage.payer, name="a.x12", data=b"A"
    )
    caplog.set_level(logging.DEBUG)
    with sftp_server(remote, password="another") as server:
        _connection(claim.coverage.payer, server)
        run = transport.clearinghouse_send(user=biller)
    assert len(run.problems) == 1 and PASSWORD not in run.problems[0]
    assert PASSWORD not in caplog.text
    assert "password sunrise refused" in server.logins


def test_a_payer_on_the_outbox_only_keeps_its_files_waiting(org: Any, biller: Any) -> None:
    claim = make_claim(organization=org)
    PayerConnection.objects.create(organization=org, payer=claim.coverage.payer, transport="outbox")
    record = outbox_put(
        organization_id=org.pk, kind="837P", payer=claim.coverage.payer, name="a.x12", data=b"A"
    )
    run = transport.clearinghouse_send(user=biller)
    assert run.sent == [] and run.waiting == [record]


def test_a_kind_the_connection_does_not_take_is_not_sent(
    org: Any, biller: Any, secrets: Path, remote: Path
) -> None:
    claim = make_claim(organization=org)
    outbox_put(
        organization_id=org.pk, kind="270", payer=claim.coverage.payer, name="e.x12", data=b"E"
    )
    with sftp_server(remote, password=PASSWORD) as server:
        _connection(claim.coverage.payer, server, kinds=["837P", "276"])
        run = transport.clearinghouse_send(user=biller)
    assert run.sent == [] and [r.file_name for r in run.waiting] == ["e.x12"]


def test_the_transport_runs_in_a_thread_whose_event_loop_is_already_running() -> None:
    """A caller inside a running event loop (an async view, or a library driving its own loop in
    this thread) still gets its SFTP conversation run to the end."""

    async def conversation() -> str:
        await asyncio.sleep(0)
        return "done"

    async def caller() -> str:
        result: str = _run(conversation())
        return result

    # The caller's loop runs on a thread of its own: this thread may already drive one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, caller()).result() == "done"
