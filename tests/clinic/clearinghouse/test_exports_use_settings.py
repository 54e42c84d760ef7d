"""The 837P export takes the submitter and receiver ids from the payer's clearinghouse
settings, still passes pyx12, and its file goes to the outbox to be sent."""

import datetime as dt

import pytest
from django.utils import timezone

from otclinic.clinic.clearinghouse.models import Direction, ExchangeFile
from otclinic.clinic.clearinghouse.status import profile_for
from otclinic.clinic.clearinghouse.transport import clearinghouse_send
from otclinic.clinic.payers.models import PayerConnection
from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.export import claims_export
from tests.clinic.revenue.claims.builders import billing_practice, note
from tests.domain.claims.p837.pyx12_check import assert_passes

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_the_837p_carries_the_payers_ids_passes_pyx12_and_waits_in_the_outbox() -> None:
    b = billing_practice()
    profile_for(b.org.pk)  # the outbox takes files written from now on
    note(b)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    PayerConnection.objects.create(
        organization=b.org, payer=claim.coverage.payer, submitter_id="SUNRISE01", receiver_id="CH77"
    )
    svc.claim_mark_ready(claim=claim, user=b.biller)
    [batch] = claims_export(user=b.biller)
    text = batch.read_text()
    assert_passes(text)
    assert "*ZZ*SUNRISE01      *ZZ*CH77           *" in text
    assert "GS*HC*SUNRISE01*CH77*" in text
    assert "*46*SUNRISE01~" in text and "*46*CH77~" in text  # 1000A and 1000B
    run = clearinghouse_send(user=b.biller)  # outbox only: it waits to be downloaded
    [waiting] = run.waiting
    assert (waiting.kind, waiting.file_name, waiting.sha256) == (
        "837P",
        batch.file.name.rsplit("/", 1)[-1],
        batch.sha256,
    )
    clearinghouse_send(user=b.biller)
    assert ExchangeFile.objects.filter(direction=Direction.OUT).count() == 1
