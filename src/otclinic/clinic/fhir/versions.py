"""Resource versions of the writable types: `meta.versionId` and the `ETag: W/"n"`.

A version is the row's last save (`updated_at`) in microseconds since 1970: every save by any
door (page, API, FHIR) changes it, so an `If-Match` taken from a FHIR read also catches an edit
made on a page since. The services' own optimistic check (`common.versions`) compares the same
timestamp.
"""

import datetime as dt
from typing import Any

from otclinic.clinic.common.versions import version_of

# The types a partner may write, whose reads carry a version.
WRITABLE = frozenset({"Patient", "Coverage", "Appointment", "ServiceRequest"})

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def version_id(row: Any) -> str:
    return str((row.updated_at - _EPOCH) // _MICROSECOND)


def etag(row: Any) -> str:
    return f'W/"{version_id(row)}"'


def service_version(row: Any) -> str:
    """The version the services' edit check takes for the same row."""
    return version_of(row)
