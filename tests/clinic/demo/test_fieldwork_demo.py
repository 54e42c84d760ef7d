"""The demo clinic's fieldwork: the demo OTA educates the demo student and co-signs their note."""

import pytest
from django.utils import timezone

from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.care.selectors import cosign_queue_for_user
from otclinic.clinic.demo.fieldwork import add_fieldwork
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.fieldwork.adapters import educator_facts
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.clinic.revenue.claim_assembly import rendering_provider_for
from otclinic.domain.compliance.fieldwork import Program, educator_findings

pytestmark = pytest.mark.django_db


def test_the_demo_ota_educates_the_demo_student_whose_note_waits_in_their_queue() -> None:
    seed_demo(scale=1, patients_per_scale=2, months=1)
    placement = FieldworkPlacement.objects.select_related("educator__user", "student").get(
        student__user__username="student.demo"
    )
    educator = placement.educator
    assert educator.user.username == "ota.demo" and placement.program == "OTA"
    # An eligible educator: the seed writes below the service, so check the rule here.
    facts = educator_facts(educator)
    assert (
        educator_findings(program=Program.OTA, educator=facts, starts_on=placement.starts_on) == ()
    )
    [note] = cosign_queue_for_user(user=educator.user)
    assert note.author == placement.student and note.status == NoteStatus.COSIGN_PENDING
    assert note.signatures.count() == 1
    assert rendering_provider_for(note) == educator.supervising_ot
    # A second run adds nothing.
    assert add_fieldwork(placement.organization_id, timezone.localdate()) == 0
    seed_demo(scale=1, patients_per_scale=2, months=1)
    assert FieldworkPlacement.objects.count() == 1
