"""A demo clinic seeded on an earlier day gets today's book on a later run, and nothing else."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.care.models import NoteLine, NoteStatus, Signature, TreatmentNote
from otclinic.clinic.demo.seed import SeedResult, seed_demo
from otclinic.clinic.demo.visits import TODAY_MINIMUM
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus, Visit
from otclinic.clinic.scheduling.selectors import caseload_for_user
from otclinic.domain.codes import Role

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
SEEDED = dt.datetime(2026, 3, 4, 16, 0, tzinfo=NEW_YORK)  # a Wednesday afternoon
LATER = dt.datetime(2026, 3, 11, 9, 50, tzinfo=NEW_YORK)  # the next Wednesday, mid-morning
HISTORY = (Patient, Appointment, Visit, TreatmentNote, NoteLine, Signature)


def snapshot() -> dict[str, set[tuple[object, ...]]]:
    """Every row of the tables a top-up could touch, with the columns that would change."""
    return {model.__name__: set(model.objects.values_list("pk", "updated_at")) for model in HISTORY}


def seed_on(moment: dt.datetime, *, small: bool = True) -> SeedResult:
    """Seed as on `moment`; small (fewer patients, one month) unless the test needs the size."""
    size = {"patients_per_scale": 30, "months": 1} if small else {}
    with time_machine.travel(moment, tick=False):
        return seed_demo(**size)


def test_a_run_on_a_later_day_books_today_for_every_ot_and_ota_and_leaves_history_alone() -> None:
    seed_on(SEEDED, small=False)
    before = snapshot()

    with time_machine.travel(LATER, tick=False):
        result = seed_demo()
        today = timezone.localdate()
        caseloads = {
            user.username: list(caseload_for_user(user=user, day=today))
            for user in User.objects.filter(role__in=[Role.OT, Role.OTA])
        }

    assert not result.created
    after = snapshot()
    for table, rows in before.items():
        assert rows <= after[table], f"{table}: a row written earlier was changed or removed"
    assert after["Patient"] == before["Patient"]
    new_appointments = Appointment.objects.exclude(pk__in=[pk for pk, _ in before["Appointment"]])
    assert result.added_today == new_appointments.count() > 0
    assert {a.starts_at.astimezone(NEW_YORK).date() for a in new_appointments} == {LATER.date()}
    for username, caseload in caseloads.items():
        assert len(caseload) >= TODAY_MINIMUM, username
    assert {"RB000001", "RB000002"} <= {a.patient.mrn for a in caseloads["ota.demo"]}
    assert f"added today's schedule: {result.added_today} appointments" in result.summary()


def test_the_visits_already_over_today_have_their_notes_as_on_the_first_day() -> None:
    seed_on(SEEDED)

    seed_on(LATER)

    ota = User.objects.get(username="ota.demo")
    caseload = list(caseload_for_user(user=ota, day=LATER.date()))
    done = [a for a in caseload if a.status == AppointmentStatus.COMPLETED]
    # Visits start hourly from 08:00 and last 45 minutes: at 09:50 the first two are over.
    assert len(done) == 2
    assert all(a.visit.note.status == NoteStatus.DRAFT for a in done)
    assert all(
        a.status == AppointmentStatus.SCHEDULED and a.starts_at > LATER
        for a in caseload
        if a not in done
    )


def test_a_second_run_on_the_later_day_changes_nothing() -> None:
    seed_on(SEEDED)
    topped_up = seed_on(LATER)
    before = snapshot()
    audit_entries = AuditEvent.objects.count()

    again = seed_on(LATER + dt.timedelta(hours=3))

    assert topped_up.added_today > 0
    assert again.added_today == 0 and not again.created
    assert snapshot() == before
    assert AuditEvent.objects.count() == audit_entries
    assert "nothing was changed" in again.summary()


def test_the_top_up_is_one_bulk_audit_entry_and_the_chain_holds() -> None:
    seed_on(SEEDED)
    before = AuditEvent.objects.count()

    seed_on(LATER)

    last = AuditEvent.objects.order_by("seq")[before - 1].seq
    entries = list(AuditEvent.objects.filter(seq__gt=last))
    (bulk,) = [e for e in entries if e.action == AuditAction.BULK]
    assert "today's schedule for 2026-03-11" in bulk.detail
    # What the top-up changes after inserting (reminder marks) is recorded naming the rows.
    assert all(e.action == AuditAction.UPDATE and e.object_ids for e in entries if e != bulk)
    assert audit_verify().ok
