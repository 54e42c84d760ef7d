from typing import Any

import pytest

from tests.clinic import factories as f


@pytest.fixture
def org() -> Any:
    """A clinic with the NPI and tax id that the X12 envelopes need."""
    return f.OrganizationFactory(npi=f.next_npi(), tax_id="991234567")


@pytest.fixture
def biller(org: Any) -> Any:
    return f.staff_user(organization=org, role="biller")
