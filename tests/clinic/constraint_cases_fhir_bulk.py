"""Constraint cases for the FHIR bulk export's table (collected by test_constraints.py)."""

from collections.abc import Callable

from otclinic.clinic.fhir.bulk.models import BulkExport
from tests.clinic import factories as f
from tests.clinic.smart.helpers import ec_key, register_backend

Case = Callable[[bool], object]


def _export(**fields: object) -> BulkExport:
    user = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    values = {
        "organization": user.organization,
        "requested_by": user,
        "level": "system",
        "request_url": "http://testserver/fhir/R4/$export",
        "site_url": "http://testserver",
        **fields,
    }
    return BulkExport.objects.create(**values)


def bulkexport_status_known(bad: bool) -> object:
    return _export(status="halfway" if bad else "running")


def bulkexport_level_known(bad: bool) -> object:
    return _export(level="planet" if bad else "group")


def bulkexport_one_requester(bad: bool) -> object:
    """A user or a Backend Services client started it: exactly one of the two."""
    user = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    client = register_backend(user.organization, ec_key())
    return _export(
        organization=user.organization, requested_by=user if bad else None, client=client
    )


FHIR_BULK_CASES: list[tuple[str, Case]] = [
    ("bulkexport_status_known", bulkexport_status_known),
    ("bulkexport_level_known", bulkexport_level_known),
    ("bulkexport_one_requester", bulkexport_one_requester),
]
