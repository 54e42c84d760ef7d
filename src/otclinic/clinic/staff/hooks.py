"""Questions the staff app asks of apps above it (common.hooks); each must be answered."""

import datetime as dt
from typing import Any

from otclinic.clinic.common.hooks import hook


@hook(provider="supervision")
def supervising_ot_problems(*, ota: Any, supervisor: Any, on: dt.date) -> list[str]:
    """Why `supervisor` may not supervise `ota` from `on` (empty: they may).

    The supervisor of an OTA must be an OT (OTR) with a license in force in each state the OTA
    works in and an NBCOT certification in force. Answered by
    `supervision.services.supervisor_errors`.
    """
    raise NotImplementedError
