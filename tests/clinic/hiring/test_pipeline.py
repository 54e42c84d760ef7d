"""Postings, applicants and their moves through the services: the offer's checks, each reason."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.hiring import services, services_checks
from otclinic.clinic.hiring.models import Applicant, StageMove
from tests.clinic import factories as f
from tests.clinic.hiring.builders import applied, move, practice, verify

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 11, 27, 15, tzinfo=dt.UTC)):
        yield


def test_a_new_applicant_gets_the_default_onboarding_checklist_and_a_first_move() -> None:
    p = practice()
    applicant = applied(p)
    assert applicant.stage == "applied"
    assert [i.label for i in applicant.onboarding.all()] == [
        "I-9 employment eligibility verification",
        "Background check",
        "HIPAA training",
        "Orientation",
        "EHR account",
    ]
    assert list(applicant.licenses.values_list("state", "number")) == [("OH", "TEST-OTA-1")]
    first = applicant.moves.get()
    assert (first.from_stage, first.to_stage, first.moved_by) == ("", "applied", p.admin)


def test_the_clinics_settings_decide_the_checklist_of_new_applicants() -> None:
    p = practice()
    services.settings_update(
        user=p.admin,
        references_required=3,
        onboarding_items=[{"label": "Drug screen", "before_hire": True}, {"label": "Badge"}],
    )
    applicant = applied(p)
    assert list(applicant.onboarding.values_list("label", "before_hire")) == [
        ("Drug screen", True),
        ("Badge", False),
    ]


def test_each_move_records_who_and_when() -> None:
    p = practice()
    applicant = move(p, applied(p), "screened", "interviewed")
    assert applicant.stage == "interviewed"
    assert list(applicant.moves.values_list("from_stage", "to_stage")) == [
        ("", "applied"),
        ("applied", "screened"),
        ("screened", "interviewed"),
    ]
    assert applicant.stage_changed_by == p.admin


def test_skipping_a_stage_is_refused_and_nothing_changes() -> None:
    p = practice()
    applicant = applied(p)
    with pytest.raises(ValidationFailed) as refused:
        services.stage_move(user=p.admin, applicant=applicant, to="interviewed")
    assert "not to interviewed" in refused.value.errors["stage"][0]
    applicant.refresh_from_db()
    assert applicant.stage == "applied"
    assert StageMove.objects.filter(applicant=applicant).count() == 1


def test_declining_needs_a_reason_and_reopening_clears_it() -> None:
    p = practice()
    applicant = applied(p)
    with pytest.raises(ValidationFailed) as refused:
        services.stage_move(user=p.admin, applicant=applicant, to="declined")
    assert refused.value.errors == {"reason": ["Give the reason the applicant is declined."]}
    declined = services.stage_move(
        user=p.admin, applicant=applicant, to="declined", reason="Took another position"
    )
    assert declined.declined_reason == "Took another position"
    reopened = services.stage_move(user=p.admin, applicant=declined, to="screened")
    assert (reopened.stage, reopened.declined_reason) == ("screened", "")


def test_moving_to_hired_goes_through_the_hire_button() -> None:
    p = practice()
    applicant = applied(p)
    verify(p, applicant, on=TODAY)
    applicant = move(p, applicant, "screened", "interviewed", "offered")
    with pytest.raises(ValidationFailed) as refused:
        services.stage_move(user=p.admin, applicant=applicant, to="hired")
    assert "hire button" in refused.value.errors["stage"][0]


def _offer(applicant: Applicant, p: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        services.stage_move(user=p.admin, applicant=applicant, to="offered")  # type: ignore[attr-defined]
    applicant.refresh_from_db()
    assert applicant.stage == "interviewed"
    return refused.value


def test_an_offer_with_nothing_verified_names_each_section() -> None:
    p = practice()
    applicant = move(p, applied(p), "screened", "interviewed")
    errors = _offer(applicant, p).errors
    assert errors == {
        "nbcot": ["NBCOT certification TEST-COTA-0001 is not verified yet."],
        "licenses": ["The OH license TEST-OTA-1 is not looked up yet."],
        "references": ["2 favourable references are needed; 0 recorded."],
    }


def test_an_offer_with_an_expired_license_found_is_refused_with_the_expiry() -> None:
    p = practice()
    applicant = applied(p)
    verify(p, applicant, on=TODAY)
    services_checks.license_lookup_record(
        user=p.admin,
        applicant=applicant,
        license=applicant.licenses.get(),
        result="expired",
        expires_on=dt.date(2026, 10, 31),
        source="Ohio OT board license lookup",
        looked_up_on=TODAY,
    )
    applicant = move(p, applicant, "screened", "interviewed")
    assert _offer(applicant, p).errors == {
        "licenses": ["The lookup found the OH license TEST-OTA-1 expired on 2026-10-31."]
    }


def test_an_offer_with_an_unfavourable_reference_is_refused() -> None:
    p = practice()
    applicant = applied(p)
    verify(p, applicant, on=TODAY)
    ref = services_checks.reference_add(
        user=p.admin, applicant=applicant, name="Dana Former", contact="555-0199"
    )
    services_checks.reference_record(
        user=p.admin, applicant=applicant, reference=ref, result="unfavourable", checked_on=TODAY
    )
    applicant = move(p, applicant, "screened", "interviewed")
    assert _offer(applicant, p).errors == {
        "references": ["The reference from Dana Former was unfavourable."]
    }


def test_an_offer_needs_a_license_for_the_clinics_state() -> None:
    p = practice()
    applicant = applied(p, license_state="KY", license_number="TEST-KY-1")
    verify(p, applicant, on=TODAY)
    applicant = move(p, applicant, "screened", "interviewed")
    assert _offer(applicant, p).errors == {
        "licenses": [
            "An OTA needs a license for OH, the state of the posting's clinic; none is claimed."
        ]
    }


def test_the_latest_lookup_counts() -> None:
    p = practice()
    applicant = applied(p)
    services_checks.license_lookup_record(
        user=p.admin,
        applicant=applicant,
        license=applicant.licenses.get(),
        result="not_found",
        source="Ohio OT board license lookup",
        looked_up_on=TODAY - dt.timedelta(days=3),
    )
    verify(p, applicant, on=TODAY)
    applicant = move(p, applicant, "screened", "interviewed", "offered")
    assert applicant.stage == "offered"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"license_number": ""}, "license_number", "Give both the license's state and its number"),
        ({"license_state": ""}, "license_state", "Give both the license's state and its number"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"license_state": "ZZ"}, "state", "is not a valid choice"),
    ],
)
def test_bad_applicants_are_refused_naming_the_field(
    change: dict[str, str], field: str, message: str
) -> None:
    p = practice()
    with pytest.raises(ValidationFailed) as refused:
        applied(p, **change)
    assert message in " ".join(refused.value.errors[field])
    assert not Applicant.objects.filter(posting=p.posting).exists()


def test_applying_twice_to_one_posting_is_refused() -> None:
    p = practice()
    applied(p)
    with pytest.raises(ValidationFailed) as refused:
        applied(p, email="Avery.Sample@example.org")
    assert refused.value.errors == {
        "email": ["Avery.Sample@example.org has already applied to this posting."]
    }


def test_a_closed_posting_takes_no_applicants_and_closing_twice_does_no_harm() -> None:
    p = practice()
    services.posting_close(user=p.admin, posting=p.posting)
    services.posting_close(user=p.admin, posting=p.posting)
    assert p.posting.status == "closed"
    with pytest.raises(ValidationFailed) as refused:
        applied(p)
    assert "posting" in refused.value.errors


def test_an_active_lookup_needs_the_expiry_found() -> None:
    p = practice()
    applicant = applied(p)
    with pytest.raises(ValidationFailed) as refused:
        services_checks.license_lookup_record(
            user=p.admin,
            applicant=applicant,
            license=applicant.licenses.get(),
            result="active",
            source="Ohio OT board license lookup",
            looked_up_on=TODAY,
        )
    assert "expires_on" in refused.value.errors


def test_nbcot_verification_of_another_number_than_claimed_is_refused() -> None:
    p = practice()
    applicant = applied(p)
    with pytest.raises(ValidationFailed) as refused:
        services_checks.nbcot_verify(
            user=p.admin,
            applicant=applicant,
            number="TEST-COTA-9999",
            method="online",
            result="active",
            expires_on=dt.date(2027, 3, 31),
            verified_on=TODAY,
        )
    assert "differs from the one claimed" in refused.value.errors["number"][0]


def test_another_applicants_license_is_refused() -> None:
    p = practice()
    one, two = applied(p), applied(p, email="second@example.org")
    with pytest.raises(ValidationFailed) as refused:
        services_checks.license_lookup_record(
            user=p.admin,
            applicant=one,
            license=two.licenses.get(),
            result="not_found",
            source="Ohio",
            looked_up_on=TODAY,
        )
    assert "license" in refused.value.errors


@pytest.mark.parametrize("role", ["OT", "OTA", "biller", "front_desk"])
def test_only_staff_managers_may_hire(role: str) -> None:
    p = practice()
    applicant = applied(p)
    someone = f.staff_user(organization=p.org, role=role)
    with pytest.raises(PermissionDenied):
        services.stage_move(user=someone, applicant=applicant, to="screened")
    with pytest.raises(PermissionDenied):
        services_checks.reference_add(user=someone, applicant=applicant, name="x", contact="y")
    with pytest.raises(PermissionDenied):
        applied(p.__class__(p.org, someone, p.posting), email="x@example.org")


def test_correcting_the_nbcot_claim_sets_aside_the_verification_of_the_old_number() -> None:
    p = practice()
    applicant = applied(p)
    verify(p, applicant, on=TODAY)
    applicant = move(p, applicant, "screened", "interviewed")
    services_checks.nbcot_claim(
        user=p.admin, applicant=applicant, nbcot_credential="COTA", nbcot_number="TEST-COTA-0002"
    )
    assert _offer(applicant, p).errors == {
        "nbcot": ["NBCOT certification TEST-COTA-0002 is not verified yet."]
    }
    services_checks.nbcot_verify(
        user=p.admin,
        applicant=applicant,
        number="TEST-COTA-0002",
        method="letter",
        result="active",
        expires_on=dt.date(2027, 3, 31),
        verified_on=TODAY,
    )
    assert move(p, applicant, "offered").stage == "offered"
