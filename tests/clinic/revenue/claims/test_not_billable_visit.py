"""A visit signed as not billable is never charged, and the biller's charge run does not list it
as a problem: it is simply not billed, and the claims page says which notes and why."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.revenue.charges import (
    charges_create_for_note,
    charges_create_for_signed_notes,
)
from otclinic.clinic.revenue.models import Charge
from otclinic.clinic.revenue.selectors import work_counts
from tests.clinic.care.notes.builders import form_data
from tests.clinic.jobs.helpers import finish
from tests.clinic.revenue.claims.builders import DAY, Billing, billing_practice, note

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused_after_seven_minutes(b: Billing) -> Any:
    """The OTA's draft: therapeutic activity for 7 minutes, then the patient refused."""
    draft = svc.note_start(user=b.ota.user, episode=b.episode, date_of_service=DAY)
    content = svc.NoteContent(
        lines=(svc.LineInput("97530", "therapeutic_activity", assistant_minutes=7),)
    )
    return svc.note_save(user=b.ota.user, note=draft, revision=draft.revision, content=content)


def test_the_ota_signs_a_refused_visit_not_billable_and_the_charge_run_does_not_complain() -> None:
    b = billing_practice()
    draft = refused_after_seven_minutes(b)
    ota = client_for(b.ota.user)
    data = form_data(
        draft,
        action="not_billable",
        not_billable_reason="patient_refused",
        not_billable_detail="Refused after 7 minutes: fatigue",
    )
    assert ota.post(reverse("note-sign", args=[draft.pk]), data).status_code == 302
    billed = note(b, ("97530", {"therapist_minutes": 38}), day=DAY.replace(day=10))

    biller = client_for(b.biller)
    html = finish(biller, biller.post(reverse("claims-charges-create")))
    assert "1 charge(s) created from 1 signed note(s)." in html
    assert "left aside" not in html.lower()
    assert list(Charge.objects.values_list("note_id", flat=True)) == [billed.pk]
    # The claims page tells the biller which note was not billed, and why.
    html = biller.get(reverse("claims-list")).content.decode()
    assert "1 note(s) signed as not billable" in html
    assert "Patient refused treatment: Refused after 7 minutes: fatigue" in html
    again = finish(biller, biller.post(reverse("claims-charges-create")))
    assert "0 charge(s) created from 0 signed note(s)." in again
    assert "left aside" not in again.lower()


def test_a_not_billable_note_is_neither_charged_nor_counted_as_work() -> None:
    b = billing_practice()
    draft = refused_after_seven_minutes(b)
    signed = svc.note_sign(
        user=b.ota.user,
        note=draft,
        revision=draft.revision,
        not_billable=svc.NotBillable("patient_refused"),
    )
    assert work_counts(user=b.biller) == {"notes": 0, "charges": 0, "not_billable": 1}
    assert charges_create_for_note(note=signed) == []
    run = charges_create_for_signed_notes(user=b.biller)
    assert (run.notes_billed, run.charges_created, run.skipped) == (0, 0, ())
    assert not Charge.objects.exists()


def test_a_billable_visit_signed_not_billable_is_not_charged_either() -> None:
    b = billing_practice()
    draft = svc.note_start(user=b.ot.user, episode=b.episode, date_of_service=DAY)
    content = svc.NoteContent(
        lines=(svc.LineInput("97530", "therapeutic_activity", therapist_minutes=38),)
    )
    draft = svc.note_save(user=b.ot.user, note=draft, revision=draft.revision, content=content)
    svc.note_sign(
        user=b.ot.user,
        note=draft,
        revision=draft.revision,
        not_billable=svc.NotBillable("no_charge", "Courtesy visit"),
    )
    run = charges_create_for_signed_notes(user=b.biller)
    assert (run.notes_billed, run.charges_created, run.skipped) == (0, 0, ())
