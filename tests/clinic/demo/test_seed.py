"""The demo clinic seed: the practice it builds, its logins, its consistency and idempotence."""

import datetime as dt
import re
from collections import Counter, defaultdict
from importlib.resources import files
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    EpisodeStatus,
    Goal,
    NoteLine,
    NoteStatus,
    PlanOfCare,
    ProgressReport,
    Signature,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.care.selectors import cosign_queue_for_user, unsigned_notes_for_user
from otclinic.clinic.demo import catalog, conditions
from otclinic.clinic.demo.seed import demo_logins, seed_demo
from otclinic.clinic.demo.visits import TODAY_MINIMUM
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.access import visible_portal_patients
from otclinic.clinic.patients.models import (
    ConsentKind,
    Patient,
    PatientDiagnosis,
    PortalAccess,
)
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus, Visit
from otclinic.clinic.scheduling.selectors import caseload_for_user
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from otclinic.domain.codes import PayerPlan, Role
from otclinic.domain.diagnoses import check_icd10
from otclinic.domain.identifiers import is_valid_npi, member_id_problem

pytestmark = pytest.mark.django_db

EVERY_TABLE = (
    Organization,
    Clinic,
    User,
    StaffProfile,
    StateLicense,
    Payer,
    ReferringPhysician,
    Patient,
    Coverage,
    PatientDiagnosis,
    PortalAccess,
    Referral,
    Episode,
    PlanOfCare,
    Goal,
    Appointment,
    Visit,
    TreatmentNote,
    NoteLine,
    Signature,
    AuditEvent,
)


def small_seed(**kwargs: int | bool) -> None:
    """A quick seed (fewer patients, one month) for the tests that need data, not its size."""
    seed_demo(patients_per_scale=30, months=1, **kwargs)


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in EVERY_TABLE}


def test_the_default_seed_builds_the_practice_the_docs_describe() -> None:
    result = seed_demo()

    assert result.created
    org = Organization.objects.get(slug=catalog.ORG_SLUG)
    assert Clinic.objects.filter(organization=org, state="OH").count() == 2
    staff_roles = Counter(StaffProfile.objects.values_list("user__role", flat=True))
    assert staff_roles == {
        Role.OT: 6,
        Role.OTA: 8,
        Role.PT: 1,
        Role.SLP: 1,
        Role.STUDENT: 1,
        Role.BILLER: 2,
        Role.FRONT_DESK: 2,
        Role.CLINIC_ADMIN: 1,
    }
    assert Patient.objects.filter(organization=org).count() == 150
    kinds = Counter(Payer.objects.values_list("plan_kind", flat=True))
    assert kinds == {
        PayerPlan.MEDICARE_PART_B: 1,
        PayerPlan.MEDICARE_ADVANTAGE: 1,
        PayerPlan.MEDICAID: 1,
        PayerPlan.COMMERCIAL: 2,
    }
    today = timezone.localdate()
    visits = Visit.objects.filter(organization=org)
    assert 1500 <= visits.count() <= 4000
    first = min(visits.values_list("date_of_service", flat=True))
    assert today - dt.timedelta(days=95) <= first <= today - dt.timedelta(days=80)
    assert max(visits.values_list("date_of_service", flat=True)) <= today
    assert result.counts["visits"] == visits.count()
    assert "150 patients" in result.summary()


def test_seeding_twice_changes_nothing() -> None:
    first = seed_demo(patients_per_scale=30, months=1)
    before = table_counts()

    second = seed_demo(patients_per_scale=30, months=1)

    assert first.created and not second.created
    assert table_counts() == before
    assert "already exists" in second.summary()
    assert second.counts == first.counts


def test_the_seed_is_deterministic_for_a_seed_and_a_day() -> None:
    def snapshot() -> list[tuple[str, str, str]]:
        with transaction.atomic():
            small_seed(random_seed=7)
            rows = list(Patient.objects.order_by("mrn").values_list("mrn", "last_name", "city"))
            transaction.set_rollback(True)
        return rows

    first, second = snapshot(), snapshot()

    assert first and first == second
    with transaction.atomic():
        small_seed(random_seed=8)
        other = list(Patient.objects.order_by("mrn").values_list("mrn", "last_name", "city"))
        transaction.set_rollback(True)
    assert other != first


def test_one_audit_entry_records_the_bulk_insert_and_the_chain_holds() -> None:
    before = AuditEvent.objects.count()

    # The scale-1 month of billing goes through the revenue services, which record their own
    # entries (test_revenue_demo.py checks that chain): here, the bulk insert alone.
    small_seed(revenue=False)

    entries = AuditEvent.objects.filter(seq__gt=before) if before else AuditEvent.objects.all()
    bulk = [e for e in entries if e.action == AuditAction.BULK]
    assert [e.object_type for e in bulk] == ["demo.seed"]
    # The few rows the seed changes after inserting them are recorded as updates naming them.
    rest = [e for e in entries if e.action != AuditAction.BULK]
    assert all(e.action == AuditAction.UPDATE and e.object_ids for e in rest)
    report = audit_verify()
    assert report.ok, report.problems
    assert report.signatures > 0


def test_every_demo_login_signs_in_with_its_role() -> None:
    small_seed()
    request = RequestFactory().post("/login/")
    logins = demo_logins()
    expected = {login.username: login.role for login in catalog.DEMO_LOGINS}

    assert len(logins) == len(Role) - 1  # every role but PTA, which the demo practice lacks
    for _label, username, password in logins:
        user = authenticate(request, username=username, password=password)
        assert user is not None, username
        assert user.role == expected[username]
        assert authenticate(request, username=username, password=password + "x") is None


def test_the_demo_password_passes_the_password_validators() -> None:
    small_seed()
    for _label, username, password in demo_logins():
        validate_password(password, user=User.objects.get(username=username))


def test_the_clinic_admin_may_open_the_django_admin() -> None:
    small_seed()
    assert User.objects.get(username="admin.demo").is_staff
    assert not User.objects.get(username="ota.demo").is_staff


@pytest.mark.parametrize("code", sorted(conditions.DIAGNOSES))
def test_every_demo_diagnosis_is_a_billable_code_with_the_code_sets_description(
    code: str,
) -> None:
    check = check_icd10(code)
    assert check.billable, check.problem
    assert conditions.DIAGNOSES[code] == check.description


def test_the_catalog_describes_every_code_it_uses() -> None:
    assert conditions.all_diagnosis_codes() <= set(conditions.DIAGNOSES)


def test_seeded_diagnoses_are_billable_and_their_plans_rank_them() -> None:
    small_seed()
    codes = set(PatientDiagnosis.objects.values_list("code", flat=True))
    assert codes
    assert all(check_icd10(code).billable for code in codes)
    for plan in PlanOfCare.objects.prefetch_related("plan_diagnoses"):
        assert [d.rank for d in plan.plan_diagnoses.all()][:1] == [1]


def test_every_npi_and_member_id_is_valid() -> None:
    small_seed()
    clinician_roles = {Role.OT, Role.OTA, Role.PT, Role.SLP}
    clinicians = StaffProfile.objects.filter(user__role__in=clinician_roles)
    npis = [
        *clinicians.values_list("npi", flat=True),
        *ReferringPhysician.objects.values_list("npi", flat=True),
        *Clinic.objects.values_list("npi", flat=True),
        *Organization.objects.values_list("npi", flat=True),
    ]
    assert len(npis) == len(set(npis)) > 30
    assert all(is_valid_npi(npi) for npi in npis)
    member_ids = Coverage.objects.values_list("member_id", flat=True)
    assert all(member_id_problem(m) is None for m in member_ids)
    mbi = re.compile(r"^[1-9][A-Z][A-Z0-9][0-9][A-Z][A-Z0-9][0-9][A-Z]{2}[0-9]{2}$")
    medicare = Coverage.objects.filter(payer__plan_kind=PayerPlan.MEDICARE_PART_B)
    assert medicare.exists()
    assert all(mbi.match(m) for m in medicare.values_list("member_id", flat=True))


def test_every_ota_is_supervised_by_an_ot_of_their_clinic() -> None:
    small_seed()
    otas = StaffProfile.objects.filter(user__role=Role.OTA).prefetch_related("clinics")
    for ota in otas:
        supervisor = ota.supervising_ot
        assert supervisor is not None and supervisor.user.role == Role.OT
        assert set(ota.clinics.all()) <= set(supervisor.clinics.all())
        assert ota.licenses.filter(state="OH").exists() and ota.nbcot_credential == "COTA"


def test_note_totals_follow_their_lines() -> None:
    small_seed()
    lines = defaultdict(list)
    for line in NoteLine.objects.all():
        lines[line.note_id].append(line)
    notes = list(TreatmentNote.objects.all())
    assert notes

    for note in notes:
        minutes = [
            (ln.code, ln.therapist_minutes + ln.assistant_minutes + ln.together_minutes)
            for ln in lines[note.id]
        ]
        assert minutes, "every note has at least one line"
        timed = sum(m for code, m in minutes if code in catalog.TIMED_CODES)
        assert note.total_timed_minutes == timed
        assert note.total_treatment_minutes >= sum(m for _, m in minutes)
        assert note.total_treatment_minutes >= note.total_timed_minutes


def test_the_demos_timed_codes_are_the_billing_checks_timed_codes() -> None:
    table = yaml.safe_load(
        files("otclinic.domain.rules").joinpath("billing_codes.yaml").read_text()
    )
    used = {i.code for c in conditions.CONDITIONS for i in c.interventions} | {
        i.code for ivs in catalog.OTHER_DISCIPLINE_TREATMENT.values() for i in ivs
    }
    for code in used:
        # The billing check counts a code missing from its table as untimed (92507, 92526 are).
        is_timed = table["codes"].get(code, {"kind": "untimed"})["kind"] == "timed"
        assert is_timed == (code in catalog.TIMED_CODES), code


def test_signatures_match_each_notes_status() -> None:
    small_seed()
    statuses = Counter()
    for note in TreatmentNote.objects.select_related("author__user", "author__supervising_ot"):
        statuses[note.status] += 1
        signatures = {s.meaning: s for s in Signature.objects.filter(note=note)}
        if note.status == NoteStatus.DRAFT:
            assert not signatures and note.signed_at is None
            continue
        author = signatures[SignatureMeaning.AUTHOR]
        assert author.signer_id == note.author.user_id
        assert re.fullmatch(r"[0-9a-f]{64}", author.content_sha256)
        if note.status == NoteStatus.COSIGNED:
            cosigner = signatures[SignatureMeaning.COSIGNER]
            assert cosigner.signer_id == note.author.supervising_ot.user_id
            assert cosigner.signed_at > author.signed_at
        if note.author.user.role in {Role.OTA, Role.STUDENT}:  # the student's: demo/fieldwork.py
            assert note.status in {NoteStatus.COSIGN_PENDING, NoteStatus.COSIGNED, NoteStatus.DRAFT}
        else:
            assert note.status in {NoteStatus.SIGNED, NoteStatus.DRAFT}
    assert statuses[NoteStatus.SIGNED] and statuses[NoteStatus.COSIGNED]
    assert statuses[NoteStatus.COSIGN_PENDING]


def test_patients_are_seen_two_or_three_times_a_week() -> None:
    small_seed()
    today = timezone.localdate()
    per_week = Counter(
        (v.episode_id, v.date_of_service.isocalendar()[:2])
        for v in Visit.objects.filter(date_of_service__lt=today)
    )
    assert per_week and max(per_week.values()) <= 3


def test_on_a_weekday_every_ot_and_ota_has_a_caseload_that_follows_the_clock() -> None:
    moment = dt.datetime(2026, 3, 11, 9, 50, tzinfo=ZoneInfo("America/New_York"))  # Wednesday
    with time_machine.travel(moment, tick=False):
        seed_demo()
        today = timezone.localdate()
        for role in (Role.OTA, Role.OT):
            for user in User.objects.filter(role=role):
                assert caseload_for_user(user=user, day=today).count() >= TODAY_MINIMUM, (
                    user.username
                )
        ota = User.objects.get(username="ota.demo")
        caseload = list(caseload_for_user(user=ota, day=today))
        assert cosign_queue_for_user(user=User.objects.get(username="ot.demo")).exists()

    assert {"RB000001", "RB000002"} <= {a.patient.mrn for a in caseload}
    by_status = defaultdict(list)
    for appt in caseload:
        by_status[appt.status].append(appt)
    # Visits start hourly from 08:00 and last 45 minutes: at 09:50 the first two are over and
    # the rest are still to come.
    assert len(by_status[AppointmentStatus.COMPLETED]) == 2
    assert by_status[AppointmentStatus.SCHEDULED]
    assert all(a.starts_at > moment for a in by_status[AppointmentStatus.SCHEDULED])
    for appt in by_status[AppointmentStatus.COMPLETED]:
        assert appt.ends_at <= moment
        assert appt.visit.note.status == NoteStatus.DRAFT  # the demo OTA documents later


def test_on_a_saturday_the_demo_ota_still_has_patients_and_notes_to_finish() -> None:
    moment = dt.datetime(2026, 3, 14, 7, 0, tzinfo=ZoneInfo("America/New_York"))
    with time_machine.travel(moment, tick=False):
        small_seed()
        ota = User.objects.get(username="ota.demo")
        caseload = list(caseload_for_user(user=ota, day=timezone.localdate()))
        drafts = list(unsigned_notes_for_user(user=ota))

    assert {"RB000001", "RB000002"} <= {a.patient.mrn for a in caseload}
    assert all(a.status == AppointmentStatus.SCHEDULED for a in caseload)
    assert drafts and all(n.date_of_service < moment.date() for n in drafts)


def test_portal_logins_see_only_their_own_patient() -> None:
    small_seed()
    patient_user = User.objects.get(username="patient.demo")
    caregiver_user = User.objects.get(username="caregiver.demo")

    own = list(visible_portal_patients(patient_user))
    cared_for = list(visible_portal_patients(caregiver_user))

    assert [p.mrn for p in own] == ["RB000001"]
    assert [p.mrn for p in cared_for] == ["RB000002"]
    access = PortalAccess.objects.get(user=caregiver_user)
    assert access.consent.kind == ConsentKind.PORTAL_SHARING
    assert access.consent.contact == access.contact and access.contact.is_caregiver


def test_progress_reports_close_each_period_by_its_tenth_treatment_day() -> None:
    small_seed(random_seed=3)
    reports = ProgressReport.objects.select_related("episode", "author__user")
    assert reports.exists()
    for report in reports:
        episode = report.episode
        assert report.author_id == episode.therapist_id and report.signatures.count() == 1
        days = set(
            Visit.objects.filter(
                episode=episode,
                date_of_service__gte=report.period_start,
                date_of_service__lte=report.report_date,
            ).values_list("date_of_service", flat=True)
        )
        assert len(days) == 10 if report.period_start == episode.started_on else len(days) <= 10
        assert report.goal_assessments.count() == episode.plans.get().goals.count()


def test_every_discharged_episode_has_a_signed_discharge_summary_on_its_last_day() -> None:
    small_seed()
    discharged = Episode.objects.filter(status=EpisodeStatus.DISCHARGED)
    assert discharged.exists()
    for episode in discharged:
        summary = DischargeSummary.objects.get(episode=episode)
        assert summary.discharge_date == episode.ended_on
        assert summary.signed_at is not None and summary.signatures.count() == 1
        last = Visit.objects.filter(episode=episode).order_by("-date_of_service").first()
        assert last.date_of_service == episode.ended_on


def test_the_demo_practice_can_bill_out_of_the_box() -> None:
    """A default fee schedule for this year and last, and the ZIP+4 the 837P's 2010AA needs."""
    from otclinic.clinic.revenue.models import FeeScheduleEntry

    small_seed()
    org = Organization.objects.get(slug=catalog.ORG_SLUG)
    assert len(org.billing_zip.replace("-", "")) == 9
    years = set(
        FeeScheduleEntry.objects.filter(organization=org).values_list("schedule__year", flat=True)
    )
    today = timezone.localdate()
    assert years == {today.year - 1, today.year}
    codes = set(FeeScheduleEntry.objects.filter(organization=org).values_list("code", flat=True))
    assert {"97530", "97535", "97110", "97165", "97168"} <= codes
