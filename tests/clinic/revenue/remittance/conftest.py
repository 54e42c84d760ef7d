from typing import Any

import pytest

from tests.clinic import factories as f


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


@pytest.fixture
def biller(org: Any) -> Any:
    return f.staff_user(organization=org, role="biller")
