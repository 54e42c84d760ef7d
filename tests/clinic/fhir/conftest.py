from typing import Any

import pytest
from django.test import Client

from tests.clinic import factories as f
from tests.clinic.fhir.records import Record, full_record


@pytest.fixture
def record(db: Any) -> Record:
    return full_record()


@pytest.fixture
def staff(record: Record) -> Any:
    return f.staff_user(organization=record.org, role="OT")


@pytest.fixture
def fhir(client: Client, staff: Any) -> Client:
    client.force_login(staff)
    return client
