"""Questions booking asks of apps above it (common.hooks); each must be answered."""

import datetime as dt
from typing import Any

from otclinic.clinic.common.hooks import hook


@hook(provider="supervision")
def supervision_booking_problems(*, clinician: Any, clinic: Any, day: dt.date) -> list[str]:
    """Why supervision rules forbid booking `clinician` at `clinic` on `day` (empty: none).

    New York (8 NYCRR 76.8): an OTA with no written supervision plan in force cannot be
    scheduled. Answered by `supervision.gate.booking_problems`.
    """
    raise NotImplementedError
