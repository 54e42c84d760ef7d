"""Realistic claims from the demo clinic: charges from its signed notes, claims, scrubbing,
`otclinic claims export`, and pyx12 on every file written."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from otclinic.cli import cli
from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import Episode
from otclinic.clinic.demo import catalog
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.charges import NoteNotBillable, billable_notes, charges_create_for_note
from otclinic.clinic.revenue.models import Claim, ClaimBatch, ClaimStatus
from otclinic.clinic.revenue.scrubber import blocking, scrub_claim
from tests.domain.claims.p837.pyx12_check import assert_passes

pytestmark = pytest.mark.django_db
EPISODES = 12  # one in twelve of the demo's episodes at scale 1: every payer, OT and OTA notes


def _bill_some_episodes(org: Organization) -> int:
    episodes = list(Episode.objects.filter(organization=org).order_by("id")[::12][:EPISODES])
    billed = 0
    for note in billable_notes(org.pk).filter(episode__in=episodes):
        try:
            billed += bool(charges_create_for_note(note=note))
        except NoteNotBillable:
            continue  # the demo holds notes with deliberate billing errors
    return billed


def test_the_demo_clinics_claims_export_with_the_command_and_pass_pyx12(tmp_path: Path) -> None:
    seed_demo(scale=1, revenue=False)  # the demo's own month would be billed already
    org = Organization.objects.get(slug=catalog.ORG_SLUG)
    biller = User.objects.filter(organization=org, role="biller").order_by("username").first()
    assert _bill_some_episodes(org) > 40
    claims = claim_assembly.claims_assemble(user=biller)
    assert len({c.coverage.payer_id for c in claims}) >= 3
    ready = 0
    for claim in Claim.objects.filter(organization=org, status=ClaimStatus.DRAFT):
        if not blocking(scrub_claim(claim)):
            svc.claim_mark_ready(claim=claim, user=biller)
            ready += 1
    assert ready > 10
    output = tmp_path / "claims.837"
    result = CliRunner().invoke(
        cli,
        [
            "claims",
            "export",
            "--format",
            "837p",
            "--output",
            str(output),
            "--organization",
            org.slug,
            "--test",
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("claims.*.837"))
    batches = ClaimBatch.objects.filter(organization=org)
    assert len(files) == batches.count() >= 3
    assert sum(b.claims.count() for b in batches) == ready
    for path in files:
        assert_passes(path.read_text())
    assert not Claim.objects.filter(organization=org, status=ClaimStatus.READY).exists()
