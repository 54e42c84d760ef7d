"""A freshly seeded demo clinic verifies: its chains, and every seeded signature against the
document it signs (notes with their lines, evaluations, plans, progress reports, discharges,
students' notes)."""

import pytest
from click.testing import CliRunner

from otclinic.cli.clinic import audit as audit_cli
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.care.models import Signature
from otclinic.clinic.demo.seed import seed_demo

pytestmark = pytest.mark.django_db

KINDS = ("note", "evaluation", "plan", "progress_report", "discharge")


@pytest.mark.parametrize("scale", [1, 2])
def test_a_freshly_seeded_demo_passes_audit_verify(scale: int) -> None:
    seed_demo(scale=scale, patients_per_scale=12, months=2)
    report = audit_verify()
    assert report.ok, report.problems
    assert report.signatures == Signature.objects.count()
    signed = {k for k in KINDS if Signature.objects.filter(**{f"{k}__isnull": False}).exists()}
    assert signed == set(KINDS)
    result = CliRunner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 0, result.output
    assert "match their documents" in result.output
