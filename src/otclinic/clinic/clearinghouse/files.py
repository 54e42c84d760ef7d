"""The outbox and the inbox: files written for the clearinghouse wait in the outbox until they
are sent (by SFTP, or downloaded by the biller); files received wait in the inbox until they are
imported. Both are `ExchangeFile` rows with the file in the file storage, kept once by SHA-256."""

import hashlib
import uuid

from django.core.files.base import ContentFile

from otclinic.clinic.clearinghouse.models import Direction, ExchangeFile
from otclinic.clinic.payers.models import Payer


def outbox_put(
    *, organization_id: uuid.UUID, kind: str, payer: Payer | None, name: str, data: bytes
) -> ExchangeFile:
    """A file in the outbox, waiting to be sent (kept once: the same bytes are one file)."""
    sha = hashlib.sha256(data).hexdigest()
    existing = ExchangeFile.objects.for_org(organization_id).filter(
        direction=Direction.OUT, sha256=sha
    )
    if (found := existing.first()) is not None:
        return found
    record = ExchangeFile(
        organization_id=organization_id,
        direction=Direction.OUT,
        kind=kind,
        payer=payer,
        file_name=name,
        sha256=sha,
    )
    record.file.save(name, ContentFile(data), save=True)
    return record


def inbox_put(*, organization_id: uuid.UUID, name: str, data: bytes) -> ExchangeFile:
    """A received file in the inbox (kept once: the same bytes are one file)."""
    sha = hashlib.sha256(data).hexdigest()
    found = (
        ExchangeFile.objects.for_org(organization_id)
        .select_for_update()
        .filter(direction=Direction.IN, sha256=sha)
        .first()
    )
    if found is not None:
        return found
    record = ExchangeFile(
        organization_id=organization_id, direction=Direction.IN, file_name=name[:200], sha256=sha
    )
    record.file.save(_safe_name(name), ContentFile(data), save=True)
    return record


def _safe_name(name: str) -> str:
    base = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name.rsplit("/", 1)[-1])
    return base[:120] or "file.x12"
