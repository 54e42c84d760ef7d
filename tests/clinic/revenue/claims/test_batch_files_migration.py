"""Migration revenue 0006 moves each 837P file from its database column into the file storage,
byte for byte, and moving back puts it into the column again."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.clinic import factories as f

BEFORE = [("revenue", "0005_remittance_service_unmatched_reason")]
AFTER = [("revenue", "0006_files_in_the_file_storage")]
TEXT = (
    "ISA*00*          *00*          *ZZ*CLINIC~GS*HC~ST*837*0001~SE*2*0001~GE*1*1~IEA*1*000000042~"
)


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_837p_files_move_into_the_storage_and_back(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Made with today's models, before going back: saving a user raises the episode checks'
    # versions (care.episode_checks), whose columns of today are gone at the older state.
    org = f.OrganizationFactory()
    payer = f.PayerFactory(organization=org, payer_id="MCR-01")
    user = f.staff_user(organization=org, role="biller")
    old = _migrate(BEFORE)
    try:
        batch = old.get_model("revenue", "ClaimBatch").objects.create(
            organization_id=org.pk,
            payer_id=payer.pk,
            interchange_control_number=42,
            content=TEXT,
            sha256="0" * 64,
            created_by_id=user.pk,
        )

        new = _migrate(AFTER)
        moved = new.get_model("revenue", "ClaimBatch").objects.get(pk=batch.pk)
        assert moved.file.name == f"claims/{org.pk}/837P-000000042-MCR01.x12"
        with default_storage.open(moved.file.name, "rb") as handle:
            assert handle.read() == TEXT.encode()

        back = _migrate(BEFORE)
        assert back.get_model("revenue", "ClaimBatch").objects.get(pk=batch.pk).content == TEXT
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
