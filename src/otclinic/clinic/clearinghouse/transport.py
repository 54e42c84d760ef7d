"""Sending the outbox and fetching the inbox: `otclinic clearinghouse send|fetch`, the
periodic job and the buttons on the clearinghouse page.

`outbox_collect` first puts in the outbox every 837P file (ClaimBatch) and 270 file written
since the clinic's `outbox_since`. `clearinghouse_send` then uploads each waiting file whose
payer's connection is SFTP and takes that kind of file; the others wait for the biller to
download them. `clearinghouse_fetch` downloads every new file from each SFTP connection's
answer folder into the inbox and imports the inbox (inbox.py). Both are safe to run twice: a
file is kept once by its SHA-256 and a file sent is not sent again.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.context import acting_as, actor_for_user
from otclinic.clinic.clearinghouse import sftp
from otclinic.clinic.clearinghouse.files import inbox_put, outbox_put
from otclinic.clinic.clearinghouse.inbox import InboxRun, inbox_import
from otclinic.clinic.clearinghouse.models import (
    ClearinghouseProfile,
    Direction,
    ExchangeFile,
    FileState,
)
from otclinic.clinic.clearinghouse.status import profile_for, status_inquire
from otclinic.clinic.payers.models import EligibilityFile, PayerConnection, Transport
from otclinic.clinic.payers.selectors import connection_of
from otclinic.clinic.revenue.export import batch_filename
from otclinic.clinic.revenue.models import ClaimBatch
from otclinic.domain.access import Capability

log = logging.getLogger(__name__)


def _read(field_file: Any) -> bytes:
    with field_file.open("rb") as handle:
        data: bytes = handle.read()
    return data


@transaction.atomic
def outbox_collect(*, organization_id: uuid.UUID) -> int:
    """Put the 837P and 270 files written since `outbox_since` in the outbox; how many new."""
    since = profile_for(organization_id).outbox_since
    known = set(
        ExchangeFile.objects.for_org(organization_id)
        .filter(direction=Direction.OUT)
        .values_list("sha256", flat=True)
    )
    added = 0
    batches = ClaimBatch.objects.for_org(organization_id).filter(created_at__gte=since)
    for batch in batches.select_related("payer").exclude(sha256__in=known):
        outbox_put(
            organization_id=organization_id,
            kind="837P",
            payer=batch.payer,
            name=batch_filename(batch),
            data=_read(batch.file),
        )
        added += 1
    inquiries = EligibilityFile.objects.for_org(organization_id).filter(
        kind="270", created_at__gte=since
    )
    for record in inquiries.select_related("payer").exclude(sha256__in=known):
        outbox_put(
            organization_id=organization_id,
            kind="270",
            payer=record.payer,
            name=record.file_name,
            data=_read(record.file),
        )
        added += 1
    return added


@dataclass
class SendRun:
    sent: list[ExchangeFile] = field(default_factory=list)
    waiting: list[ExchangeFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _sftp_connection(record: ExchangeFile) -> PayerConnection | None:
    connection = connection_of(record.payer) if record.payer is not None else None
    if connection is None or connection.transport != Transport.SFTP:
        return None
    return connection if connection.sends(record.kind) else None


def clearinghouse_send(*, user: User) -> SendRun:
    """Upload every waiting outbox file whose payer's connection is SFTP."""
    require(user, Capability.MANAGE_BILLING)
    org = organization_id_of(user)
    outbox_collect(organization_id=org)
    run = SendRun()
    groups: dict[Any, list[ExchangeFile]] = defaultdict(list)
    waiting = ExchangeFile.objects.for_org(org).filter(
        direction=Direction.OUT, state=FileState.WAITING
    )
    for record in waiting.select_related("payer").order_by("created_at"):
        connection = _sftp_connection(record)
        if connection is None:
            run.waiting.append(record)
        else:
            groups[connection.pk].append(record)
    for records in groups.values():
        payer = records[0].payer
        assert payer is not None  # grouped by the payer's connection
        connection = connection_of(payer)
        assert connection is not None
        _send_group(connection, records, run)
    return run


def _send_group(connection: PayerConnection, records: list[ExchangeFile], run: SendRun) -> None:
    try:
        sftp.upload(sftp.endpoint_of(connection), [(r.file_name, _read(r.file)) for r in records])
    except sftp.TransportError as exc:
        run.problems.append(f"{connection.payer.name}: {exc}")
        log.warning("clearinghouse send failed connection=%s error=%s", connection.pk, exc)
        return
    now = timezone.now()
    ids = [r.pk for r in records]
    ExchangeFile.objects.filter(pk__in=ids).update(
        state=FileState.SENT, done_at=now, updated_at=now
    )
    for record in records:
        record.state, record.done_at = FileState.SENT, now
    run.sent += records
    log.info("clearinghouse files sent connection=%s files=%d", connection.pk, len(records))


@dataclass
class FetchRun:
    received: list[ExchangeFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    imported: InboxRun = field(default_factory=InboxRun)


def clearinghouse_fetch(*, user: User) -> FetchRun:
    """Download each SFTP connection's new answers into the inbox, then import the inbox."""
    require(user, Capability.MANAGE_BILLING)
    org = user.organization_id
    run = FetchRun()
    seen: set[tuple[str, int, str, str]] = set()
    connections = PayerConnection.objects.for_org(org).filter(transport=Transport.SFTP)
    for connection in connections.select_related("payer").order_by("payer__name"):
        place = (
            connection.sftp_host,
            connection.sftp_port,
            connection.sftp_username,
            connection.download_path,
        )
        if place in seen:
            continue  # several payers behind one clearinghouse: one fetch
        seen.add(place)
        _fetch_one(org, connection, run)
    run.imported = inbox_import(user=user)
    return run


def _fetch_one(org: Any, connection: PayerConnection, run: FetchRun) -> None:
    had = set(
        ExchangeFile.objects.for_org(org)
        .filter(direction=Direction.IN)
        .values_list("file_name", flat=True)
    )
    try:
        files = sftp.download(sftp.endpoint_of(connection), skip=had)
    except sftp.TransportError as exc:
        run.problems.append(f"{connection.payer.name}: {exc}")
        log.warning("clearinghouse fetch failed connection=%s error=%s", connection.pk, exc)
        return
    for name, data in files:
        with transaction.atomic():
            record = inbox_put(organization_id=org, name=name, data=data)
        if record.state == FileState.WAITING:
            run.received.append(record)
    log.info("clearinghouse files fetched connection=%s files=%d", connection.pk, len(files))


def _acting(profile: Any, work: Any) -> str:
    """Run `work(user)` as the clinic's `run_as` biller, with the audit trail naming them."""
    with acting_as(actor_for_user(profile.run_as)):
        result: str = work(profile.run_as)
    return result


def _scheduled_profiles() -> list[Any]:
    return list(
        ClearinghouseProfile.objects.filter(run_as__isnull=False, run_as__is_active=True)
        .select_related("run_as")
        .order_by("organization_id")
    )


def _exchange(user: User) -> str:
    sent, fetched = clearinghouse_send(user=user), clearinghouse_fetch(user=user)
    return (
        f"{len(sent.sent)} sent, {len(fetched.received)} received, "
        f"{len(fetched.imported.failed)} not read, {len(sent.problems) + len(fetched.problems)} "
        "connection problem(s)"
    )


def exchange_all() -> str:
    """The periodic job: send and fetch for every clinic that named a biller to run as."""
    outcomes = [_acting(p, _exchange) for p in _scheduled_profiles()]
    return f"{len(outcomes)} clinic(s): " + "; ".join(outcomes) if outcomes else "no clinic set up"


def _ask(user: User) -> str:
    run = status_inquire(user=user)
    return f"{run.asked} claim(s) asked about, {len(run.problems)} problem(s)"


def status_inquire_all() -> str:
    """The daily job: 276s for every clinic's unanswered claims (sent by the next exchange)."""
    outcomes = [_acting(p, _ask) for p in _scheduled_profiles()]
    return f"{len(outcomes)} clinic(s): " + "; ".join(outcomes) if outcomes else "no clinic set up"
