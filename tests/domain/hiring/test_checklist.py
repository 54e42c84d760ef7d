"""What an offer and a hire need, one reason at a time."""

from dataclasses import replace
from datetime import date

import pytest

from otclinic.domain.codes import Role
from otclinic.domain.hiring.checklist import (
    ApplicantChecks,
    CheckResult,
    ClaimedLicense,
    Lookup,
    Reference,
    ReferenceResult,
    hire_blockers,
    offer_blockers,
)
from otclinic.domain.hiring.policy import default_onboarding, default_references_required

TODAY = date(2026, 11, 27)
ACTIVE = Lookup(CheckResult.ACTIVE, date(2027, 3, 31))
GOOD = Reference("R. One", ReferenceResult.FAVOURABLE)
CLEAN = ApplicantChecks(
    role=Role.OTA,
    practice_state="OH",
    nbcot_number="TEST-COTA-0001",
    nbcot=ACTIVE,
    licenses=(ClaimedLicense("OH", "TEST-OTA-1", ACTIVE),),
    references=(GOOD, Reference("R. Two", ReferenceResult.FAVOURABLE)),
    references_required=2,
)


def _ids(found: tuple[object, ...]) -> list[str]:
    return [f.rule_id for f in found]  # type: ignore[attr-defined]


def test_a_complete_clean_checklist_allows_the_offer_and_the_hire() -> None:
    assert offer_blockers(CLEAN, on=TODAY) == ()
    assert hire_blockers(CLEAN, on=TODAY) == ()


@pytest.mark.parametrize(
    ("change", "rule_id", "message"),
    [
        ({"nbcot_number": ""}, "hiring.nbcot.not_claimed", "An OTA needs an NBCOT COTA"),
        ({"nbcot": None}, "hiring.nbcot.unverified", "TEST-COTA-0001 is not verified yet"),
        (
            {"nbcot": Lookup(CheckResult.NOT_FOUND)},
            "hiring.nbcot.not_in_force",
            "did not find NBCOT certification TEST-COTA-0001",
        ),
        (
            {"nbcot": Lookup(CheckResult.ACTIVE, date(2026, 11, 26))},
            "hiring.nbcot.not_in_force",
            "expired on 2026-11-26 (today is 2026-11-27)",
        ),
        (
            {
                "licenses": (
                    ClaimedLicense(
                        "OH", "TEST-OTA-1", Lookup(CheckResult.ACTIVE, date(2026, 11, 1))
                    ),
                )
            },
            "hiring.license.not_in_force",
            "The OH license TEST-OTA-1 expired on 2026-11-01 (today is 2026-11-27).",
        ),
        ({"licenses": ()}, "hiring.license.none_for_state", "needs a license for OH"),
        (
            {"licenses": (ClaimedLicense("OH", "TEST-OTA-1"),)},
            "hiring.license.unverified",
            "OH license TEST-OTA-1 is not looked up yet",
        ),
        (
            {
                "licenses": (
                    ClaimedLicense(
                        "OH", "TEST-OTA-1", Lookup(CheckResult.EXPIRED, date(2026, 6, 30))
                    ),
                )
            },
            "hiring.license.not_in_force",
            "found the OH license TEST-OTA-1 expired on 2026-06-30",
        ),
        (
            {"licenses": (ClaimedLicense("OH", "TEST-OTA-1", Lookup(CheckResult.ACTIVE)),)},
            "hiring.license.not_in_force",
            "recorded no expiry date",
        ),
        (
            {"references": (GOOD,)},
            "hiring.references.too_few",
            "2 favourable references are needed; 1 recorded",
        ),
        (
            {"references": (GOOD, GOOD, Reference("R. Bad", ReferenceResult.UNFAVOURABLE))},
            "hiring.references.unfavourable",
            "The reference from R. Bad was unfavourable",
        ),
    ],
)
def test_each_unverified_or_unclean_item_refuses_the_offer_and_the_hire(
    change: dict[str, object], rule_id: str, message: str
) -> None:
    checks = replace(CLEAN, **change)  # type: ignore[arg-type]
    for found in (offer_blockers(checks, on=TODAY), hire_blockers(checks, on=TODAY)):
        assert _ids(found) == [rule_id]
        assert message in found[0].message
        assert found[0].citation


def test_a_license_in_another_state_also_needs_its_lookup() -> None:
    checks = replace(CLEAN, licenses=(*CLEAN.licenses, ClaimedLicense("KY", "TEST-KY-9")))
    assert _ids(offer_blockers(checks, on=TODAY)) == ["hiring.license.unverified"]


def test_a_license_expiring_on_the_day_is_still_in_force() -> None:
    lookup = Lookup(CheckResult.ACTIVE, TODAY)
    checks = replace(CLEAN, licenses=(ClaimedLicense("OH", "TEST-OTA-1", lookup),), nbcot=lookup)
    assert offer_blockers(checks, on=TODAY) == ()


def test_a_front_desk_hire_needs_no_nbcot_and_no_license_but_references() -> None:
    checks = ApplicantChecks(role=Role.FRONT_DESK, practice_state="OH", references=(GOOD,))
    assert _ids(offer_blockers(checks, on=TODAY)) == ["hiring.references.too_few"]


def test_a_pt_needs_a_license_but_no_nbcot() -> None:
    checks = ApplicantChecks(role=Role.PT, practice_state="OH", references_required=0)
    found = offer_blockers(checks, on=TODAY)
    assert _ids(found) == ["hiring.license.none_for_state"]
    assert found[0].message.startswith("A PT needs a license for OH")


def test_onboarding_before_hire_blocks_the_hire_but_not_the_offer() -> None:
    checks = replace(CLEAN, open_before_hire=("Background check",))
    assert offer_blockers(checks, on=TODAY) == ()
    found = hire_blockers(checks, on=TODAY)
    assert _ids(found) == ["hiring.onboarding.before_hire_open"]
    assert "Background check" in found[0].message


def test_the_defaults_are_two_references_and_the_five_onboarding_items() -> None:
    assert default_references_required(TODAY) == 2
    items = default_onboarding(TODAY)
    assert [i.label for i in items] == [
        "I-9 employment eligibility verification",
        "Background check",
        "HIPAA training",
        "Orientation",
        "EHR account",
    ]
    assert [i.label for i in items if i.before_hire] == ["Background check"]
    assert all(i.reference and i.confidence in {"firm", "likely", "check"} for i in items)
