"""Fieldwork placements, hours and evaluations through the services and the pages."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from otclinic.clinic.care.fieldwork_adapter import note_student_findings
from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.care.selectors import cosign_queue_for_user
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.fieldwork import selectors, services
from otclinic.clinic.fieldwork.adapters import placement_progress
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import practice, signed
from tests.clinic.fieldwork.helpers import END, EXPERIENCED, START, Fieldwork, fieldwork

pytestmark = pytest.mark.django_db


def _place(fw: Fieldwork, **overrides: Any) -> FieldworkPlacement:
    values: dict[str, Any] = {
        "user": fw.admin,
        "student": fw.student,
        "educator": fw.educator,
        "program": "OT",
        "level": "II",
        "school": "State University",
        "starts_on": START,
        "ends_on": END,
        "full_time_hours_per_week": Decimal("40"),
        **overrides,
    }
    return services.placement_create(**values)


def test_placing_a_student_makes_the_educator_their_supervisor() -> None:
    fw = fieldwork()
    placement = _place(fw)
    fw.student.refresh_from_db()
    assert fw.student.supervising_ot == fw.educator
    assert placement.organization == fw.org


def test_an_ota_educator_for_an_ot_student_is_refused() -> None:
    fw = fieldwork()
    ota = f.StaffProfileFactory(
        user__organization=fw.org, user__role="OTA", practice_started_on=EXPERIENCED
    )
    with pytest.raises(ValidationFailed) as refused:
        _place(fw, educator=ota)
    assert "must be an OT; this one is OTA" in refused.value.errors["educator"][0]
    assert not FieldworkPlacement.objects.exists()
    fw.student.refresh_from_db()
    assert fw.student.supervising_ot is None


def test_an_ota_educator_for_an_ota_student_is_accepted() -> None:
    fw = fieldwork()
    ota = f.StaffProfileFactory(
        user__organization=fw.org, user__role="OTA", practice_started_on=EXPERIENCED
    )
    assert _place(fw, educator=ota, program="OTA").educator == ota


@pytest.mark.parametrize(
    ("started", "ok"), [(dt.date(2025, 1, 5), True), (dt.date(2025, 1, 6), False)]
)
def test_an_educator_under_one_year_of_practice_is_refused(started: dt.date, ok: bool) -> None:
    fw = fieldwork()
    fw.educator.practice_started_on = started
    fw.educator.save()
    if ok:
        _place(fw)
        return
    with pytest.raises(ValidationFailed) as refused:
        _place(fw)
    assert "under 1 year(s) of practice" in refused.value.errors["educator"][0]


def test_an_educator_without_a_practice_start_is_told_what_to_record() -> None:
    fw = fieldwork()
    fw.educator.practice_started_on = None
    fw.educator.save()
    with pytest.raises(ValidationFailed) as refused:
        _place(fw)
    assert "record it on their staff profile" in refused.value.errors["educator"][0]


def test_a_placement_needs_a_student_and_an_end_after_its_start() -> None:
    fw = fieldwork()
    other_ot = f.StaffProfileFactory(user__organization=fw.org, user__role="OT")
    with pytest.raises(ValidationFailed) as refused:
        _place(fw, student=other_ot, ends_on=START)
    assert set(refused.value.errors) == {"student", "ends_on"}


def test_another_organizations_educator_is_refused() -> None:
    fw = fieldwork()
    outsider = fieldwork().educator
    with pytest.raises(ValidationFailed) as refused:
        _place(fw, educator=outsider)
    assert "educator" in refused.value.errors


def test_only_staff_managers_place_students() -> None:
    fw = fieldwork()
    with pytest.raises(PermissionDenied):
        _place(fw, user=fw.educator.user)


def test_a_students_signed_note_lands_in_the_educators_co_sign_queue() -> None:
    p = practice(payer_plan="commercial")
    admin = f.staff_user(organization=p.org, role="clinic_admin")
    educator = p.ot.staff_profile
    educator.practice_started_on = EXPERIENCED
    educator.save()
    other_ot = f.StaffProfileFactory(user__organization=p.org, user__role="OT")
    student = f.StaffProfileFactory(user__organization=p.org, user__role="student", npi="")
    fw = Fieldwork(p.org, admin, student, educator)
    _place(fw)
    note = signed(p, user=student.user)
    assert note.status == NoteStatus.COSIGN_PENDING
    assert list(cosign_queue_for_user(user=p.ot)) == [note]
    assert list(cosign_queue_for_user(user=other_ot.user)) == []


def test_a_students_medicare_note_carries_the_participation_check_item() -> None:
    p = practice(payer_plan="medicare_part_b")
    student = f.StaffProfileFactory(
        user__organization=p.org,
        user__role="student",
        npi="",
        supervising_ot=p.ot.staff_profile,
    )
    note = signed(p, user=student.user)
    (finding,) = note_student_findings(note)
    assert finding.severity == "warning"
    assert "Check item" in finding.message
    assert note_student_findings(signed(p, user=p.ota)) == ()


def test_hours_add_up_to_full_time_weeks_against_the_minimum() -> None:
    fw = fieldwork()
    placement = _place(fw, full_time_hours_per_week=Decimal("32"))
    for offset, hours in enumerate(["8", "8", "7.5", "8.5"]):
        services.hours_log(
            user=fw.educator.user,
            placement=placement,
            worked_on=START + dt.timedelta(days=offset),
            hours=Decimal(hours),
        )
    progress = placement_progress(placement)
    assert progress.logged_hours == Decimal("32")
    assert progress.fte_weeks == Decimal("1.00")
    assert progress.minimum_weeks == 24
    assert progress.percent == Decimal("4")


@pytest.mark.parametrize(
    ("day", "hours", "field"),
    [
        (START - dt.timedelta(days=1), "8", "worked_on"),
        (END + dt.timedelta(days=1), "8", "worked_on"),
        (START, "24.5", "hours"),
        (START, "0", "hours"),
    ],
)
def test_hours_outside_the_placement_or_the_day_are_refused(
    day: dt.date, hours: str, field: str
) -> None:
    fw = fieldwork()
    placement = _place(fw)
    with pytest.raises(ValidationFailed) as refused:
        services.hours_log(user=fw.admin, placement=placement, worked_on=day, hours=Decimal(hours))
    assert field in refused.value.errors
    assert not placement.hours.exists()


def test_a_day_is_logged_once() -> None:
    fw = fieldwork()
    placement = _place(fw)
    services.hours_log(user=fw.admin, placement=placement, worked_on=START, hours=Decimal("8"))
    with pytest.raises(ValidationFailed) as refused:
        services.hours_log(user=fw.admin, placement=placement, worked_on=START, hours=Decimal("4"))
    assert "already logged" in refused.value.errors["worked_on"][0]


def _evaluate(fw: Fieldwork, placement: FieldworkPlacement, kind: str, **kw: Any) -> Any:
    return services.evaluation_record(
        user=kw.pop("user", fw.educator.user),
        placement=placement,
        kind=kind,
        evaluated_on=START + dt.timedelta(days=60),
        score=Decimal("118"),
        passed=True,
        **kw,
    )


def test_midterm_and_final_are_recorded_once_each_by_the_evaluator() -> None:
    fw = fieldwork()
    placement = _place(fw)
    midterm = _evaluate(fw, placement, "midterm")
    _evaluate(fw, placement, "final")
    assert midterm.evaluator == fw.educator
    with pytest.raises(ValidationFailed) as refused:
        _evaluate(fw, placement, "midterm")
    assert "midterm evaluation is already recorded" in refused.value.errors["kind"][0]
    assert placement.evaluations.count() == 2


def test_another_therapist_may_not_log_or_evaluate_someone_elses_student() -> None:
    fw = fieldwork()
    placement = _place(fw)
    other_ot = f.StaffProfileFactory(user__organization=fw.org, user__role="OT").user
    with pytest.raises(PermissionDenied):
        _evaluate(fw, placement, "midterm", user=other_ot)
    with pytest.raises(PermissionDenied):
        services.hours_log(user=other_ot, placement=placement, worked_on=START, hours=Decimal(8))
    with pytest.raises(PermissionDenied):
        selectors.placement_get_for_user(user=other_ot, placement_id=placement.pk)
    assert list(selectors.placements_for_user(user=other_ot)) == []


def test_an_educator_sees_only_their_own_students() -> None:
    fw = fieldwork()
    mine = _place(fw)
    second = f.StaffProfileFactory(
        user__organization=fw.org, user__role="OT", practice_started_on=EXPERIENCED
    )
    other_student = f.StaffProfileFactory(user__organization=fw.org, user__role="student", npi="")
    _place(fw, student=other_student, educator=second)
    assert list(selectors.placements_for_user(user=fw.educator.user)) == [mine]
    assert selectors.placements_for_user(user=fw.admin).count() == 2


@pytest.mark.parametrize("role", ["student", "OTA", "biller", "front_desk"])
def test_other_roles_may_not_see_placements(client: Client, role: str) -> None:
    fw = fieldwork()
    placement = _place(fw)
    client.force_login(f.staff_user(organization=fw.org, role=role))
    assert client.get("/fieldwork/").status_code == 403
    assert client.get(f"/fieldwork/{placement.pk}/").status_code == 403
    response = client.post(
        f"/fieldwork/{placement.pk}/hours/", {"worked_on": START.isoformat(), "hours": "8"}
    )
    assert response.status_code == 403
    assert not placement.hours.exists()


def test_the_manager_adds_a_placement_on_the_page(client: Client) -> None:
    fw = fieldwork()
    client.force_login(fw.admin)
    page = client.get("/fieldwork/new/")
    assert page.status_code == 200
    assert b'<label for="id_educator">Fieldwork educator' in page.content
    data = {
        "student": str(fw.student.pk),
        "educator": str(fw.educator.pk),
        "program": "OT",
        "level": "II",
        "school": "State University",
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "full_time_hours_per_week": "40",
    }
    response = client.post("/fieldwork/new/", data)
    placement = FieldworkPlacement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fieldwork/{placement.pk}/"
    assert fw.student.pk in [p.student_id for p in selectors.placements_for_user(user=fw.admin)]


def test_the_placement_page_refuses_a_new_educator_with_422(client: Client) -> None:
    fw = fieldwork()
    fw.educator.practice_started_on = START - dt.timedelta(days=100)
    fw.educator.save()
    client.force_login(fw.admin)
    data = {
        "student": str(fw.student.pk),
        "educator": str(fw.educator.pk),
        "program": "OT",
        "level": "II",
        "school": "State University",
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "full_time_hours_per_week": "40",
    }
    response = client.post("/fieldwork/new/", data)
    assert response.status_code == 422
    assert "under 1 year(s) of practice" in response.content.decode()
    assert not FieldworkPlacement.objects.exists()


def test_the_educator_logs_hours_and_sees_progress_on_the_page(client: Client) -> None:
    fw = fieldwork()
    placement = _place(fw)
    client.force_login(fw.educator.user)
    url = f"/fieldwork/{placement.pk}/"
    response = client.post(url + "hours/", {"worked_on": START.isoformat(), "hours": "96"})
    assert response.status_code == 422
    assert "Hours:" in response.content.decode()
    for offset in range(12):
        day = START + dt.timedelta(days=offset)
        response = client.post(url + "hours/", {"worked_on": day.isoformat(), "hours": "8"})
        assert response.status_code == 302
    page = client.get(url).content.decode()
    # 96 hours / 40 = 2.4 full-time weeks of the OT minimum of 24: 10 %.
    assert "96.00 hours logged = 2.40 full-time weeks" in page
    assert '<progress id="fte-progress" max="100" value="10">' in page
    assert "24-week Level II minimum" in page


def test_the_educator_records_the_midterm_once_on_the_page(client: Client) -> None:
    fw = fieldwork()
    placement = _place(fw)
    client.force_login(fw.educator.user)
    url = f"/fieldwork/{placement.pk}/evaluations/"
    data = {"kind": "midterm", "evaluated_on": "2026-03-02", "score": "101", "passed": "on"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 422
    assert "already recorded" in again.content.decode()
    assert placement.evaluations.get().score == Decimal("101")


def _ota_educator(fw: Fieldwork) -> Any:
    return f.StaffProfileFactory(
        user__organization=fw.org, user__role="OTA", practice_started_on=EXPERIENCED
    )


def test_an_ota_educator_opens_their_own_placements_and_only_theirs(client: Client) -> None:
    fw = fieldwork()
    ota = _ota_educator(fw)
    mine = _place(fw, educator=ota, program="OTA")
    other_student = f.StaffProfileFactory(user__organization=fw.org, user__role="student", npi="")
    theirs = _place(fw, student=other_student)  # the OT educator's
    client.force_login(ota.user)
    listing = client.get("/fieldwork/")
    assert listing.status_code == 200
    assert f"/fieldwork/{mine.pk}/" in listing.content.decode()
    assert f"/fieldwork/{theirs.pk}/" not in listing.content.decode()
    assert client.get(f"/fieldwork/{mine.pk}/").status_code == 200
    assert client.get(f"/fieldwork/{theirs.pk}/").status_code == 403
    day = {"worked_on": START.isoformat(), "hours": "8"}
    assert client.post(f"/fieldwork/{mine.pk}/hours/", day).status_code == 302
    assert client.post(f"/fieldwork/{theirs.pk}/hours/", day).status_code == 403
    assert mine.hours.count() == 1 and not theirs.hours.exists()


def test_the_nav_shows_fieldwork_to_an_ota_educator_and_not_to_other_otas(client: Client) -> None:
    fw = fieldwork()
    ota = _ota_educator(fw)
    _place(fw, educator=ota, program="OTA")
    client.force_login(ota.user)
    assert 'href="/fieldwork/"' in client.get("/").content.decode()
    client.force_login(f.staff_user(organization=fw.org, role="OTA"))
    assert 'href="/fieldwork/"' not in client.get("/").content.decode()


def test_a_students_note_waits_for_the_educators_co_signature_and_needs_an_educator() -> None:
    from otclinic.clinic.care.services import notes as note_svc

    p = practice(payer_plan="commercial")
    student = f.StaffProfileFactory(user__organization=p.org, user__role="student", npi="")
    with pytest.raises(note_svc.NoteNotSignable, match="supervis"):
        signed(p, user=student.user)  # no educator: nobody could co-sign
    student.supervising_ot = p.ot.staff_profile
    student.save()
    note = signed(p, user=student.user, day=START + dt.timedelta(days=60))
    assert note.status == NoteStatus.COSIGN_PENDING
    assert "student" in note.cosign_reason.lower()
    note_svc.note_cosign(user=p.ot, note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED


@pytest.mark.parametrize(("plan", "shown"), [("medicare_part_b", True), ("commercial", False)])
def test_the_medicare_student_check_item_shows_on_the_note_page_and_its_billing_preview(
    client: Client, plan: str, shown: bool
) -> None:
    from tests.clinic.care.notes.builders import drafted
    from tests.clinic.care.notes.test_note_views import form_data

    p = practice(payer_plan=plan)
    student = f.StaffProfileFactory(
        user__organization=p.org, user__role="student", npi="", supervising_ot=p.ot.staff_profile
    )
    note = drafted(p, user=student.user)
    words = "fieldwork.medicare_part_b.student_participation"
    client.force_login(student.user)
    draft_page = client.get(f"/care/notes/{note.pk}/").content.decode()
    preview = client.post(f"/care/notes/{note.pk}/preview/", form_data(note))
    assert preview.status_code == 200
    assert (words in draft_page, words in preview.content.decode()) == (shown, shown)
    client.post(f"/care/notes/{note.pk}/sign/", form_data(note))
    client.force_login(p.ot)  # the educator reads the signed note before co-signing
    signed_page = client.get(f"/care/notes/{note.pk}/").content.decode()
    assert (words in signed_page) == shown
    if shown:
        assert "Medicare Benefit Policy Manual" in signed_page and "Check item" in signed_page
    own_note = client.get(f"/care/notes/{drafted(p, user=p.ot, day=dt.date(2026, 3, 13)).pk}/")
    assert words not in own_note.content.decode()  # a therapist's own note: no student rule
