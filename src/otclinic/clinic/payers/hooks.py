"""Questions the payers app asks of apps above it (common.hooks); each must be answered."""

import datetime as dt
import uuid
from typing import Any

from otclinic.clinic.common.hooks import hook


@hook(provider="scheduling")
def coverage_ids_booked_on(*, organization_id: uuid.UUID, day: dt.date) -> set[uuid.UUID]:
    """The coverages of the episodes of the visits booked (scheduled or checked in) on `day`,
    for the day's eligibility inquiries. Answered by `scheduling.selectors`."""
    raise NotImplementedError


@hook(provider="revenue")
def control_number_rows(organization_id: uuid.UUID) -> dict[str, Any]:
    """The organization's X12 control number rows (interchange, group, transaction), locked
    with SELECT ... FOR UPDATE and created at 0 the first time: the counters the 837P, 270 and
    276 files share. Answered by `revenue.export.control_number_rows`."""
    raise NotImplementedError
