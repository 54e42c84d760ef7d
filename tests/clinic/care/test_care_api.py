"""Episodes and notes over the API, signed in by a token: a patient's episodes, one with its plan
and goals, an episode's notes, a draft with its entries, and signing with the page's checks;
another organization's ids are 404 and change nothing."""

import datetime as dt
import json
import uuid
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.care.models import NoteStatus, Signature, TreatmentNote
from otclinic.clinic.care.services import notes as svc
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import DAY, Practice, drafted, practice

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def p() -> Practice:
    return practice()


@pytest.fixture
def on_day() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC), tick=False):
        yield


def _draft_body(p: Practice, **kw: Any) -> str:
    body = {
        "date_of_service": DAY.isoformat(),
        "lines": [
            {"code": "97530", "category": "therapeutic_activity", "assistant_minutes": 23},
            {"code": "97535", "category": "self_care_adl", "assistant_minutes": 15},
        ],
        "goals": [{"goal_id": str(p.grip.pk), "value": "21.5"}],
    } | kw
    return json.dumps(body)


def _post(client: Client, url: str, body: str | dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"{API}{url}", body, content_type="application/json", headers=headers)


def test_a_patients_episodes_are_listed(client: Client, p: Practice) -> None:
    response = client.get(
        f"{API}/episodes/", {"patient_id": str(p.episode.patient_id)}, headers=f.bearer(p.ot)
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [str(p.episode.pk)]


def test_an_episode_answers_with_its_plan_certification_and_goals(
    client: Client, p: Practice
) -> None:
    response = client.get(f"{API}/episodes/{p.episode.pk}", headers=f.bearer(p.ot))
    assert response.status_code == 200
    plan = response.json()["plan_of_care"]
    assert plan["id"] == str(p.plan.pk)
    # Day 1 is 2026-03-02 (the factory's evaluation day) and the plan runs 56 days.
    assert (plan["established_on"], plan["certification_end"]) == ("2026-03-02", "2026-04-26")
    assert [goal["measure"] for goal in plan["goals"]] == ["grip strength", "Barthel Index"]
    assert (plan["goals"][0]["baseline"], plan["goals"][0]["target"]) == ("18.00", "30.00")


def test_a_draft_is_saved_with_its_lines_totals_and_measures(
    client: Client, p: Practice, on_day: None
) -> None:
    response = _post(client, f"/episodes/{p.episode.pk}/notes", _draft_body(p), f.bearer(p.ota))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["total_timed_minutes"] == 38
    assert [line["code"] for line in body["lines"]] == ["97530", "97535"]
    assert body["goals"] == [{"goal_id": str(p.grip.pk), "value": "21.50"}]
    again = _post(client, f"/episodes/{p.episode.pk}/notes", _draft_body(p), f.bearer(p.ota))
    assert again.json()["id"] == body["id"]
    assert TreatmentNote.objects.filter(episode=p.episode).count() == 1
    listed = client.get(f"{API}/episodes/{p.episode.pk}/notes", headers=f.bearer(p.ot))
    assert [row["id"] for row in listed.json()] == [body["id"]]


def test_a_draft_with_a_bad_code_or_goal_is_422_by_field_and_leaves_nothing(
    client: Client, p: Practice, on_day: None
) -> None:
    other_goal = practice().grip
    bad = _draft_body(
        p,
        lines=[{"code": "ABC", "category": "therapeutic_activity", "assistant_minutes": 5}],
        goals=[{"goal_id": str(other_goal.pk), "value": "3"}],
    )
    response = _post(client, f"/episodes/{p.episode.pk}/notes", bad, f.bearer(p.ota))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lines.0.code", "goals.0.goal_id"}
    assert not TreatmentNote.objects.filter(episode=p.episode).exists()


def test_a_future_day_of_service_is_422(client: Client, p: Practice, on_day: None) -> None:
    body = _draft_body(p, date_of_service=(DAY + dt.timedelta(days=1)).isoformat())
    response = _post(client, f"/episodes/{p.episode.pk}/notes", body, f.bearer(p.ota))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["date_of_service"]


def test_signing_locks_the_note_with_the_author_signature(
    client: Client, p: Practice, on_day: None
) -> None:
    note = drafted(p)
    response = _post(client, f"/notes/{note.pk}/sign", {"revision": note.revision}, f.bearer(p.ota))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == NoteStatus.SIGNED
    assert Signature.objects.filter(note=note).count() == 1
    twice = _post(client, f"/notes/{note.pk}/sign", {"revision": note.revision}, f.bearer(p.ota))
    assert twice.status_code == 422 and list(twice.json()["errors"]) == ["status"]


def test_signing_refusals_are_422_by_field_and_sign_nothing(
    client: Client, p: Practice, on_day: None
) -> None:
    note = drafted(p, goals=(svc.GoalInput(p.grip.pk, None),))
    stale = _post(client, f"/notes/{note.pk}/sign", {"revision": 1}, f.bearer(p.ota))
    assert stale.status_code == 422 and list(stale.json()["errors"]) == ["revision"]
    blocked = _post(client, f"/notes/{note.pk}/sign", {"revision": note.revision}, f.bearer(p.ota))
    assert blocked.status_code == 422
    assert "has no measure" in blocked.json()["errors"]["goals"][0]
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT and not Signature.objects.filter(note=note).exists()


def test_a_billing_error_blocks_signing_on_the_lines(
    client: Client, p: Practice, on_day: None
) -> None:
    note = drafted(p, lines=(svc.LineInput("97530", "therapeutic_activity"),))
    response = _post(client, f"/notes/{note.pk}/sign", {"revision": note.revision}, f.bearer(p.ota))
    assert response.status_code == 422
    assert "97530 has no minutes" in " ".join(response.json()["errors"]["lines"])


def test_a_not_billable_statement_needs_its_words(
    client: Client, p: Practice, on_day: None
) -> None:
    note = drafted(p)
    body = {"revision": note.revision, "not_billable_reason": "other"}
    response = _post(client, f"/notes/{note.pk}/sign", body, f.bearer(p.ota))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["not_billable_detail"]
    body["not_billable_detail"] = "Fire alarm: visit cut short"
    signed = _post(client, f"/notes/{note.pk}/sign", body, f.bearer(p.ota))
    assert signed.status_code == 200 and signed.json()["not_billable"] is True


def test_only_the_author_signs_and_a_read_token_writes_nothing(
    client: Client, p: Practice, on_day: None
) -> None:
    note = drafted(p)
    by_ot = _post(client, f"/notes/{note.pk}/sign", {"revision": note.revision}, f.bearer(p.ot))
    assert by_ot.status_code == 403
    read = f.bearer(p.ota, "read")
    assert (
        _post(client, f"/notes/{note.pk}/sign", {"revision": note.revision}, read).status_code
        == 403
    )
    assert _post(client, f"/episodes/{p.episode.pk}/notes", _draft_body(p), read).status_code == 403
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    assert TreatmentNote.objects.filter(episode=p.episode).count() == 1


def test_a_billing_role_may_not_write_notes(client: Client, p: Practice, on_day: None) -> None:
    biller = f.bearer(f.staff_user(organization=p.org, role="biller"))
    response = _post(client, f"/episodes/{p.episode.pk}/notes", _draft_body(p), biller)
    assert response.status_code == 403
    assert not TreatmentNote.objects.filter(episode=p.episode).exists()


def test_another_organizations_ids_are_404_and_change_nothing(
    client: Client, p: Practice, on_day: None
) -> None:
    theirs = practice()
    their_note = drafted(theirs)
    mine = f.bearer(p.ota)
    assert (
        client.get(
            f"{API}/episodes/", {"patient_id": str(theirs.episode.patient_id)}, headers=mine
        ).status_code
        == 404
    )
    for url in (
        f"/episodes/{theirs.episode.pk}",
        f"/episodes/{theirs.episode.pk}/notes",
        f"/notes/{their_note.pk}",
        f"/episodes/{uuid.uuid4()}",
        f"/notes/{uuid.uuid4()}",
    ):
        assert client.get(f"{API}{url}", headers=mine).status_code == 404, url
    signed = _post(client, f"/notes/{their_note.pk}/sign", {"revision": 2}, mine)
    drafted_there = _post(client, f"/episodes/{theirs.episode.pk}/notes", _draft_body(p), mine)
    assert signed.status_code == drafted_there.status_code == 404
    their_note.refresh_from_db()
    assert their_note.status == NoteStatus.DRAFT
    assert TreatmentNote.objects.filter(episode=theirs.episode).count() == 1
