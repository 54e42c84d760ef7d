"""Every transition of the daily note: draft, save, sign, lock, addendum, co-sign, return."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from otclinic.clinic.care.models import (
    CaregiverTraining,
    CosignDecision,
    NoteStatus,
    Signature,
    SignatureMeaning,
)
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.errors import NotPermitted, ValidationFailed
from otclinic.clinic.staff.models import StaffProfile
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import DAY, content, drafted, practice, signed

pytestmark = pytest.mark.django_db


def test_saving_a_draft_computes_the_totals_from_the_lines() -> None:
    p = practice()
    note = drafted(
        p,
        lines=(
            svc.LineInput("97530", "therapeutic_activity", assistant_minutes=23),
            svc.LineInput("97535", "self_care_adl", therapist_minutes=5, together_minutes=10),
            svc.LineInput("97150", "other", assistant_minutes=30),  # untimed group code
        ),
    )
    assert note.total_timed_minutes == 38
    assert note.total_treatment_minutes == 68
    assert note.revision == 2
    assert [line.code for line in note.lines.all()] == ["97530", "97535", "97150"]


def test_the_computed_totals_match_the_billing_engine() -> None:
    p = practice()
    note = drafted(p)
    decision = svc.preview_decision(note=note, content=svc.content_of(note))
    assert decision.total_timed_minutes == note.total_timed_minutes == 48
    assert decision.total_treatment_minutes == note.total_treatment_minutes


def test_a_save_with_a_stale_revision_is_refused_and_keeps_the_first_save() -> None:
    p = practice()
    note = svc.note_start(user=p.ota, episode=p.episode, date_of_service=DAY)
    opened = note.revision
    svc.note_save(user=p.ota, note=note, revision=opened, content=content(p))
    other = content(p, patient_response="Something else")
    with pytest.raises(svc.StaleRevision, match="saved by someone else"):
        svc.note_save(user=p.ota, note=note, revision=opened, content=other)
    note.refresh_from_db()
    assert note.patient_response == "Tolerated well"


def test_only_the_author_may_change_a_draft() -> None:
    p = practice()
    note = drafted(p)
    with pytest.raises(NotPermitted):
        svc.note_save(user=p.ot, note=note, revision=note.revision, content=content(p))


def test_invalid_lines_and_goals_are_refused_with_field_names() -> None:
    p = practice()
    other_goal = practice().grip
    note = svc.note_start(user=p.ota, episode=p.episode, date_of_service=DAY)
    bad = content(
        p,
        lines=(svc.LineInput("9753", "therapeutic_activity", assistant_minutes=500),),
        goals=(svc.GoalInput(other_goal.pk, Decimal("1")),),
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.note_save(user=p.ota, note=note, revision=note.revision, content=bad)
    assert set(exc.value.errors) == {"lines-0-code", "lines-0-assistant_minutes", "goals-0-goal"}


def test_warnings_name_codes_outside_the_plan_and_goals_without_a_measure() -> None:
    p = practice()
    note = drafted(p)
    typed = content(
        p,
        lines=(svc.LineInput("97542", "adaptive_equipment", assistant_minutes=0),),
        goals=(svc.GoalInput(p.grip.pk, None),),
    )
    warnings = svc.note_warnings(note=note, content=typed)
    assert "97542 is not among the plan of care's interventions" in warnings["lines-0-code"][0]
    assert warnings["lines-0-assistant_minutes"] == [
        "No minutes entered for this intervention yet."
    ]
    assert warnings["goals-0-value"] == ["Enter today's measure for this goal."]
    assert "lines-0-code" not in svc.note_warnings(note=note, content=content(p))


def test_carry_forward_copies_codes_goals_and_plan_but_not_minutes_or_measures() -> None:
    p = practice()
    first = signed(p)
    second = svc.note_start(
        user=p.ota, episode=p.episode, date_of_service=DAY + dt.timedelta(days=2)
    )
    assert second.carried_forward_from == first
    assert [line.code for line in second.lines.all()] == ["97530", "97535", "97110"]
    assert all(line.assistant_minutes == 0 for line in second.lines.all())
    assert [(g.goal_id, g.value) for g in second.goal_progress.all()] == [(p.grip.pk, None)]
    assert second.plan_next_visit == "Progress tub transfers"


def test_carry_forward_leaves_the_evaluation_code_behind_and_brings_the_treatment_codes() -> None:
    p = practice()
    evaluation_visit = signed(
        p,
        user=p.ot,
        lines=(
            svc.LineInput("97166", "other", therapist_minutes=45),
            svc.LineInput("97535", "self_care_adl", therapist_minutes=15),
            svc.LineInput("97530", "therapeutic_activity", therapist_minutes=8),
        ),
    )
    follow_up = svc.note_start(
        user=p.ot, episode=p.episode, date_of_service=DAY + dt.timedelta(days=2)
    )
    assert follow_up.carried_forward_from == evaluation_visit
    assert [(line.position, line.code) for line in follow_up.lines.all()] == [
        (1, "97535"),
        (2, "97530"),
    ]


@pytest.mark.parametrize("code", ["97168", "97164", "92523"])
def test_no_re_evaluation_or_other_discipline_evaluation_is_carried_forward(code: str) -> None:
    p = practice()
    first = drafted(p, user=p.ot, lines=(svc.LineInput(code, "other", therapist_minutes=30),))
    follow_up = svc.note_start(
        user=p.ot, episode=p.episode, date_of_service=DAY + dt.timedelta(days=1)
    )
    assert follow_up.carried_forward_from == first
    assert list(follow_up.lines.all()) == []


def test_the_narrative_is_drafted_when_left_blank_and_kept_when_written() -> None:
    p = practice()
    note = drafted(p)
    assert note.narrative.startswith("Treatment provided: therapeutic activity (97530, 23 min)")
    assert "Grip strength measured at 21.5 kg (baseline 18, target 30)." in note.narrative
    edited = svc.note_save(
        user=p.ota, note=note, revision=note.revision, content=content(p, narrative="My words.")
    )
    assert edited.narrative == "My words."


def test_signing_a_medicare_ota_note_locks_it_without_co_signature() -> None:
    p = practice()
    note = signed(p)
    assert note.status == NoteStatus.SIGNED
    assert not note.cosign_required
    signature = Signature.objects.get(note=note)
    assert signature.meaning == SignatureMeaning.AUTHOR
    assert signature.signer == p.ota
    assert signature.content_sha256 == svc.content_sha256(note)
    assert signature.credentials == "COTA/L"


def test_a_signed_note_refuses_edits() -> None:
    p = practice()
    note = signed(p)
    with pytest.raises(svc.NoteLocked, match="addendum"):
        svc.note_save(user=p.ota, note=note, revision=note.revision, content=content(p))
    with pytest.raises(svc.NoteLocked):
        svc.note_sign(user=p.ota, note=note, revision=note.revision)


def test_billing_errors_block_signing_before_any_signature() -> None:
    p = practice()
    note = drafted(
        p,
        lines=(svc.LineInput("97550", "caregiver_training", assistant_minutes=30),),
        caregiver=(svc.CaregiverInput("daughter", "transfers", True, True, False),),
    )
    with pytest.raises(svc.NoteNotSignable) as exc:
        svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert any(f.rule_id.startswith("caregiver") for f in exc.value.findings)
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    assert not Signature.objects.filter(note=note).exists()


def test_a_goal_without_a_measure_blocks_signing() -> None:
    p = practice()
    note = drafted(p, goals=(svc.GoalInput(p.barthel.pk, None),))
    with pytest.raises(
        svc.NoteNotSignable, match="Barthel Index' was addressed but has no measure"
    ):
        svc.note_sign(user=p.ota, note=note, revision=note.revision)


def test_caregiver_training_without_the_patient_sets_the_billing_facts() -> None:
    p = practice()
    note = drafted(
        p,
        lines=(svc.LineInput("97550", "caregiver_training", assistant_minutes=30),),
        caregiver=(svc.CaregiverInput("daughter", "transfers", True, False, True),),
    )
    assert (note.patient_present, note.caregiver_consent) == (False, True)
    decision = svc.preview_decision(note=note, content=svc.content_of(note))
    assert decision.billable, [f.message for f in decision.findings]
    assert CaregiverTraining.objects.get(note=note).return_demonstration


def test_an_addendum_keeps_the_signed_note_as_it_was() -> None:
    p = practice()
    note = signed(p)
    before = svc.content_sha256(note)
    narrative = note.narrative
    addendum = svc.note_addendum(user=p.ota, note=note, reason="Correction", text="Left hand.")
    note.refresh_from_db()
    assert note.narrative == narrative
    assert note.status == NoteStatus.SIGNED
    assert addendum.signatures.get().signer == p.ota
    assert svc.content_sha256(note) != before  # addenda are part of what a co-signer signs


def test_a_texas_temporary_licensee_note_goes_to_the_supervisors_queue_and_is_co_signed() -> None:
    from otclinic.clinic.care.selectors import cosign_queue_for_user

    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    assert "temporary license" in note.cosign_reason
    assert list(cosign_queue_for_user(user=p.ot)) == [note]
    review = svc.note_cosign(user=p.ot, note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED
    assert review.decision == CosignDecision.COSIGNED
    meanings = sorted(s.meaning for s in Signature.objects.filter(note=note))
    assert meanings == [SignatureMeaning.AUTHOR, SignatureMeaning.COSIGNER]
    assert list(cosign_queue_for_user(user=p.ot)) == []


def test_return_then_addendum_sends_the_note_back_to_the_queue() -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    with pytest.raises(ValidationFailed):
        svc.note_return(user=p.ot, note=note, comment="  ")
    svc.note_return(user=p.ot, note=note, comment="Which hand?")
    note.refresh_from_db()
    assert note.status == NoteStatus.RETURNED
    with pytest.raises(ValidationFailed):
        svc.note_cosign(user=p.ot, note=note)
    svc.note_addendum(user=p.ota, note=note, reason="Answer to review", text="Right hand.")
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGN_PENDING
    svc.note_cosign(user=p.ot, note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED
    assert [r.decision for r in note.cosign_reviews.all()] == ["returned", "cosigned"]


def test_only_the_supervising_ot_may_co_sign() -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    other_ot = f.StaffProfileFactory(user__organization=p.org, user__role="OT").user
    with pytest.raises(NotPermitted):
        svc.note_cosign(user=other_ot, note=note)
    with pytest.raises(PermissionDenied):
        svc.note_cosign(user=p.ota, note=note)


def test_a_students_note_needs_the_educators_co_signature() -> None:
    p = practice(payer_plan="commercial")
    educator = p.ot.staff_profile
    student = f.StaffProfileFactory(
        user__organization=p.org, user__role="student", supervising_ot=educator
    ).user
    note = signed(p, user=student)
    assert note.status == NoteStatus.COSIGN_PENDING
    assert "fieldwork student" in note.cosign_reason
    svc.note_cosign(user=p.ot, note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.COSIGNED


def test_a_note_needing_co_signature_without_a_supervisor_cannot_be_signed() -> None:
    p = practice(payer_plan="commercial")
    student = f.StaffProfileFactory(user__organization=p.org, user__role="student").user
    note = drafted(p, user=student)
    with pytest.raises(svc.NoteNotSignable, match="no supervising OT is on file"):
        svc.note_sign(user=student, note=note, revision=note.revision)


def test_a_clinic_override_requires_co_signature_of_every_assistant_note() -> None:
    p = practice()
    p.clinic.cosign_every_note = True
    p.clinic.save()
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    assert "clinic requires" in note.cosign_reason


def test_without_the_clinic_override_the_same_medicare_note_needs_no_co_signature() -> None:
    note = signed(practice())
    assert note.status == NoteStatus.SIGNED


def test_a_new_york_supervision_plan_that_says_initial_means_no_co_signature() -> None:
    for plan_says_cosign, status in [(False, NoteStatus.SIGNED), (True, NoteStatus.COSIGN_PENDING)]:
        p = practice(state="NY")
        StaffProfile.objects.filter(user=p.ota).update(supervision_plan_cosign=plan_says_cosign)
        assert signed(p).status == status


@pytest.mark.parametrize("role", ["biller", "front_desk"])
def test_back_office_roles_cannot_start_or_change_notes(role: str) -> None:
    p = practice()
    note = drafted(p)
    user = f.staff_user(organization=p.org, role=role)
    with pytest.raises(PermissionDenied):
        svc.note_start(user=user, episode=p.episode, date_of_service=DAY)
    with pytest.raises(PermissionDenied):
        svc.note_save(user=user, note=note, revision=note.revision, content=content(p))
