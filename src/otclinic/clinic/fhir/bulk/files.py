"""An export's NDJSON files on the default storage: one resource a line, one type a file,
split into another file past `OTCLINIC_FHIR_EXPORT_FILE_BYTES`."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from otclinic.domain.fhir.money_json import dumps


def folder(*, organization_id: uuid.UUID, export_id: uuid.UUID) -> str:
    return f"fhir-export/{organization_id}/{export_id}"


class NdjsonWriter:
    """The files of one resource type: `Patient-1.ndjson`, `Patient-2.ndjson`, ..."""

    def __init__(self, *, prefix: str, resource_type: str, max_bytes: int | None = None) -> None:
        self.prefix = prefix
        self.resource_type = resource_type
        self.max_bytes = max_bytes or settings.OTCLINIC_FHIR_EXPORT_FILE_BYTES
        self.files: list[dict[str, Any]] = []
        self._lines: list[bytes] = []
        self._size = 0
        self._patients: set[str] = set()

    def write(self, resource: dict[str, Any], *, patient_ids: Iterable[object] = ()) -> None:
        # Claim and ExplanationOfBenefit carry money as Decimal: written exactly, as the reads.
        line = dumps(resource, separators=(",", ":")).encode() + b"\n"
        if self._lines and self._size + len(line) > self.max_bytes:
            self.flush()
        self._lines.append(line)
        self._size += len(line)
        self._patients.update(str(p) for p in patient_ids)

    def flush(self) -> None:
        """Save the lines held as the next file (nothing when none is held)."""
        if not self._lines:
            return
        name = f"{self.resource_type}-{len(self.files) + 1}.ndjson"
        default_storage.save(f"{self.prefix}/{name}", ContentFile(b"".join(self._lines)))
        self.files.append(
            {
                "type": self.resource_type,
                "name": name,
                "count": len(self._lines),
                "patients": sorted(self._patients),
            }
        )
        self._lines, self._size, self._patients = [], 0, set()


def files_delete(*, prefix: str, names: list[str]) -> None:
    for name in names:
        default_storage.delete(f"{prefix}/{name}")
