"""What the clearinghouse app registers with the apps below it, when Django starts
(`ClearinghouseConfig.ready`): the exchange and the claim status inquiries as periodic jobs."""

import datetime as dt

from otclinic.clinic.clearinghouse.transport import exchange_all, status_inquire_all
from otclinic.clinic.jobs.periodic import WEEKDAYS, Periodic, periodic_register


def register() -> None:
    periodic_register(
        Periodic("clearinghouse-exchange", exchange_all, every_minutes=30),
        Periodic("claim-status-inquiries", status_inquire_all, at=dt.time(6, 0), days=WEEKDAYS),
    )
