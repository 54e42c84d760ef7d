"""The bulk export's periodic job: expired exports' files removed every hour."""

from otclinic.clinic.fhir.bulk.services import exports_expire
from otclinic.clinic.jobs.periodic import Periodic, periodic_register


def _expire() -> str:
    return f"FHIR exports expired: {exports_expire()}"


def register() -> None:
    periodic_register(Periodic("fhir-export-expiry", _expire, every_minutes=60))
