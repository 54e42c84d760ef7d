from typing import Any

import pytest

from tests.clinic.portal.helpers import Shared, shared_patient


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shared(db: None) -> Shared:
    return shared_patient()
