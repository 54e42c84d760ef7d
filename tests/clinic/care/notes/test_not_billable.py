"""Signing a visit that earns no unit: the note is signed "not billable" with the reason, the
statement is part of what is signed and audited, and the episode still counts the treatment."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.care.adapters import episode_facts
from otclinic.clinic.care.models import NoteStatus, Signature
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.codes import DocumentType
from tests.clinic.care.notes.builders import (
    DAY,
    client_for,
    drafted,
    form_data,
    practice,
)

pytestmark = pytest.mark.django_db
REFUSED = svc.NotBillable("patient_refused", "Declined further activity after 7 minutes: pain 8/10")


def seven_minutes() -> dict[str, Any]:
    """The patient refused after 7 minutes of therapeutic activity with the OTA."""
    return {"lines": (svc.LineInput("97530", "therapeutic_activity", assistant_minutes=7),)}


def test_a_seven_minute_visit_is_refused_as_a_claim_and_signed_as_not_billable() -> None:
    p = practice()
    note = drafted(p, **seven_minutes())
    with pytest.raises(svc.NoteNotSignable) as refused:
        svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert "claim.empty" in {f.rule_id for f in refused.value.findings}
    signed = svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=REFUSED)
    assert signed.status == NoteStatus.SIGNED
    assert (signed.not_billable, signed.not_billable_reason) == (True, "patient_refused")
    assert signed.not_billable_detail.startswith("Declined further activity")
    # The statement is part of what was signed.
    signature = Signature.objects.get(note=signed)
    assert signature.content_sha256 == svc.content_sha256(signed)
    assert svc.note_document(signed)["not_billable"]["reason"] == "patient_refused"


def test_a_billed_note_keeps_the_document_it_had_before_the_not_billable_field() -> None:
    p = practice()
    note = drafted(p)
    signed = svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert not signed.not_billable
    assert "not_billable" not in svc.note_document(signed)


@pytest.mark.parametrize(
    ("statement", "field", "message"),
    [
        (svc.NotBillable(""), "not_billable_reason", "Choose why"),
        (svc.NotBillable("because"), "not_billable_reason", "Choose why"),
        (svc.NotBillable("other", "  "), "not_billable_detail", "Say why"),
        (
            svc.NotBillable("under_8_minutes"),
            "not_billable_reason",
            "48 timed minutes, which earn 3",
        ),
    ],
)
def test_a_statement_without_a_sound_reason_is_refused_naming_the_field(
    statement: svc.NotBillable, field: str, message: str
) -> None:
    p = practice()
    note = drafted(p)  # 48 timed minutes: 3 units
    with pytest.raises(ValidationFailed) as refused:
        svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=statement)
    assert message in refused.value.errors[field][0]
    note.refresh_from_db()
    assert (note.status, note.not_billable) == (NoteStatus.DRAFT, False)


def test_under_8_timed_minutes_is_accepted_when_the_check_finds_no_unit() -> None:
    p = practice()
    note = drafted(p, **seven_minutes())
    under_8 = svc.NotBillable("under_8_minutes")
    signed = svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=under_8)
    assert signed.not_billable_reason == "under_8_minutes"


def test_a_visit_that_would_bill_may_be_signed_not_billable_with_a_reason() -> None:
    p = practice()
    note = drafted(p)
    courtesy = svc.NotBillable("no_charge", "Courtesy visit agreed with the clinic manager")
    signed = svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=courtesy)
    assert signed.not_billable and signed.get_not_billable_reason_display().startswith("No-charge")


def test_not_billable_does_not_waive_the_documentation_checks() -> None:
    p = practice()
    note = drafted(p, goals=(svc.GoalInput(p.barthel.pk, None),), **seven_minutes())
    with pytest.raises(svc.NoteNotSignable, match="has no measure"):
        svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=REFUSED)


def test_signing_not_billable_is_on_the_audit_trail() -> None:
    p = practice()
    note = drafted(p, **seven_minutes())
    svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=REFUSED)
    entries = AuditEvent.objects.filter(
        object_type="care.treatmentnote", object_id=str(note.pk), action=AuditAction.UPDATE
    )
    signing = [e for e in entries if "not_billable" in e.fields]
    assert len(signing) == 1
    assert {"status", "not_billable_reason", "not_billable_detail"} <= set(signing[0].fields)
    assert "Declined" not in signing[0].detail  # the clinician's words stay in the note


def treatment_days(p: Any) -> list[dt.date]:
    p.episode.refresh_from_db()
    facts = episode_facts(p.episode, as_of=DAY + dt.timedelta(days=30))
    assert facts is not None
    return [d.date for d in facts.documents if d.type is DocumentType.TREATMENT]


def test_seven_minutes_of_treatment_is_a_treatment_day_a_refusal_at_the_door_is_not() -> None:
    p = practice()
    refused_after_seven = drafted(p, **seven_minutes())
    svc.note_sign(
        user=p.ota,
        note=refused_after_seven,
        revision=refused_after_seven.revision,
        not_billable=REFUSED,
    )
    at_the_door = drafted(p, day=DAY + dt.timedelta(days=2), lines=(), goals=())
    signed = svc.note_sign(
        user=p.ota,
        note=at_the_door,
        revision=at_the_door.revision,
        not_billable=svc.NotBillable("patient_refused", "Refused on arrival"),
    )
    assert signed.not_billable and signed.total_treatment_minutes == 0
    assert treatment_days(p) == [DAY]


def test_a_note_without_interventions_still_needs_the_not_billable_statement() -> None:
    p = practice()
    note = drafted(p, lines=(), goals=())
    with pytest.raises(svc.NoteNotSignable, match="lists no interventions"):
        svc.note_sign(user=p.ota, note=note, revision=note.revision)


# The note page


def test_the_page_signs_a_seven_minute_visit_as_not_billable_with_the_reason() -> None:
    p = practice()
    note = drafted(p, **seven_minutes())
    client = client_for(p.ota)
    page = client.get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "No billable unit" in page
    assert '<label for="id_not_billable_reason">' in page
    data = form_data(
        note,
        action="not_billable",
        not_billable_reason="patient_refused",
        not_billable_detail="Declined after 7 minutes",
    )
    response = client.post(reverse("note-sign", args=[note.pk]), data, follow=True)
    assert response.redirect_chain[-1][1] == 302
    html = response.content.decode()
    assert "Signed as not billable (no charge) and locked." in html
    assert "Patient refused treatment: Declined after 7 minutes" in html
    note.refresh_from_db()
    assert note.not_billable and note.status == NoteStatus.SIGNED
    chart = client.get(reverse("patient-chart", args=[p.episode.patient_id])).content.decode()
    assert "Not billable" in chart
    episode = client.get(f"/care/episodes/{p.episode.pk}/").content.decode()
    assert "Treatment note (signed, not billable)" in episode


def test_the_page_refuses_not_billable_without_a_reason_naming_it_and_saves_nothing() -> None:
    p = practice()
    note = drafted(p, **seven_minutes())
    data = form_data(note, action="not_billable", **{"lines-0-assistant_minutes": "6"})
    response = client_for(p.ota).post(reverse("note-sign", args=[note.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Reason: Choose why this visit is not billed." in html
    assert "not_billable_reason" in html
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    assert note.lines.get().assistant_minutes == 7  # nothing saved


def test_signing_twice_does_no_harm() -> None:
    p = practice()
    note = drafted(p, **seven_minutes())
    client = client_for(p.ota)
    data = form_data(note, action="not_billable", not_billable_reason="patient_refused")
    assert client.post(reverse("note-sign", args=[note.pk]), data).status_code == 302
    again = client.post(reverse("note-sign", args=[note.pk]), data)
    assert again.status_code == 403
    assert Signature.objects.filter(note=note).count() == 1


def test_the_co_signer_sees_the_statement_and_co_signs_it() -> None:
    p = practice(state="TX", temporary_license=True)
    note = drafted(p, **seven_minutes())
    svc.note_sign(user=p.ota, note=note, revision=note.revision, not_billable=REFUSED)
    ot = client_for(p.ot)
    queue = ot.get(reverse("cosign-queue")).content.decode()
    assert "Not billable" in queue and "Patient refused treatment" in queue
    page = ot.get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "Signed as not billable: no charge is made" in page
    assert "What the claim will say" not in page
    svc.note_cosign(user=p.ot, note=note)
    note.refresh_from_db()
    assert (note.status, note.not_billable) == (NoteStatus.COSIGNED, True)


def test_the_co_signer_of_a_billed_note_sees_what_the_claim_will_say() -> None:
    p = practice(state="TX", temporary_license=True)
    note = drafted(p)
    svc.note_sign(user=p.ota, note=note, revision=note.revision)
    page = client_for(p.ot).get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "What the claim will say" in page
    assert '<span class="billed">97530: 1 unit, GO CO</span>' in page
    assert '<span class="billed">97535: 1 unit, GO CO</span>' in page
    assert "GO: under an OT plan of care; CO: furnished in whole or in part by an OTA" in page
