"""Continuing-education hours in the renewal cycle, certificates the clinic requires, expiry status."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.compliance.certificates import (
    Certificate,
    ExpiryState,
    certificate_findings,
    expiry_status,
)
from otclinic.domain.compliance.continuing_education import (
    NBCOT,
    CeActivity,
    CeRequirement,
    Cycle,
    ce_progress,
    earned_hours,
    months_before,
    nbcot_requirement,
    renewal_cycle,
)

D = date
OH = CeRequirement("OH", Decimal("20"), 24, "clinic setting for OH")
OH_PERIOD = CeRequirement("OH", Decimal("20"), None, "clinic setting for OH")
CYCLE = Cycle(D(2024, 7, 1), D(2026, 6, 30))


@pytest.mark.parametrize(
    ("requirement", "expires", "issued", "cycle"),
    [
        (OH, D(2026, 6, 30), None, Cycle(D(2024, 7, 1), D(2026, 6, 30))),
        (OH, D(2026, 2, 28), D(2020, 1, 1), Cycle(D(2024, 2, 29), D(2026, 2, 28))),
        (OH_PERIOD, D(2026, 6, 30), D(2024, 9, 15), Cycle(D(2024, 9, 15), D(2026, 6, 30))),
        (OH_PERIOD, D(2026, 6, 30), None, None),
    ],
    ids=["24 months to expiry", "end of february", "license period", "period without issue date"],
)
def test_the_cycle_ends_on_the_credentials_expiry(
    requirement: CeRequirement, expires: date, issued: date | None, cycle: Cycle | None
) -> None:
    assert renewal_cycle(requirement, expires_on=expires, issued_on=issued) == cycle


@pytest.mark.parametrize(
    ("day", "months", "before"),
    [(D(2026, 3, 31), 1, D(2026, 2, 28)), (D(2028, 3, 31), 1, D(2028, 2, 29)),
     (D(2026, 1, 15), 13, D(2024, 12, 15)), (D(2027, 6, 30), 36, D(2024, 6, 30))],
)  # fmt: skip
def test_months_before_keeps_the_day_or_takes_the_months_last(
    day: date, months: int, before: date
) -> None:
    assert months_before(day, months) == before


@pytest.mark.parametrize(
    ("activities", "today", "earned", "needed", "warned"),
    [
        ([], D(2026, 1, 1), "0", "20", False),
        ([("2025-01-10", "12.5"), ("2025-11-02", "7.5")], D(2026, 6, 1), "20.0", "0", False),
        ([("2025-01-10", "12.5")], D(2026, 3, 31), "12.5", "7.5", False),
        ([("2025-01-10", "12.5")], D(2026, 4, 1), "12.5", "7.5", True),
        ([("2024-06-30", "10"), ("2026-07-01", "10")], D(2026, 6, 1), "0", "20", True),
        ([("2024-07-01", "10"), ("2026-06-30", "4")], D(2026, 6, 1), "14", "6", True),
        ([("2025-02-01", "15")], D(2026, 7, 5), "15", "5", True),
    ],
    ids=["nothing yet", "requirement met", "short, 91 days out", "short, 90 days out",
         "outside the cycle", "first and last day count", "cycle ended short"],
)  # fmt: skip
def test_hours_earned_in_the_cycle_against_the_requirement(
    activities: list[tuple[str, str]], today: date, earned: str, needed: str, warned: bool
) -> None:
    done = [CeActivity(D.fromisoformat(day), Decimal(hours), "OH") for day, hours in activities]
    progress = ce_progress(OH, cycle=CYCLE, activities=done, today=today)
    assert progress.earned == Decimal(earned)
    assert progress.still_needed == Decimal(needed)
    assert progress.days_left == (CYCLE.ends_on - today).days
    assert [f.rule_id for f in progress.findings] == (["ce.short_of_hours"] if warned else [])


def test_the_warning_shows_the_arithmetic() -> None:
    done = [CeActivity(D(2025, 1, 10), Decimal("12.5"), "OH")]
    (finding,) = ce_progress(OH, cycle=CYCLE, activities=done, today=D(2026, 6, 1)).findings
    assert finding.severity == "warning"
    assert finding.message == (
        "OH continuing education: 12.5 of 20 hours earned in the cycle 2024-07-01 to "
        "2026-06-30; 7.5 hours still needed, 29 days left. Source: clinic setting for OH."
    )


def test_activities_for_another_credential_do_not_count() -> None:
    done = [
        CeActivity(D(2025, 1, 10), Decimal("8"), "IN"),
        CeActivity(D(2025, 1, 11), Decimal("6"), NBCOT),
        CeActivity(D(2025, 1, 12), Decimal("3"), "OH"),
    ]
    assert earned_hours(done, counts_toward="OH", cycle=CYCLE) == Decimal("3")


def test_nbcots_default_is_36_pdus_in_3_years_and_says_check() -> None:
    nbcot = nbcot_requirement(D(2026, 1, 1))
    assert nbcot is not None
    assert (nbcot.hours, nbcot.cycle_months, nbcot.check) == (Decimal("36"), 36, True)
    cycle = renewal_cycle(nbcot, expires_on=D(2027, 3, 31))
    assert cycle == Cycle(D(2024, 4, 1), D(2027, 3, 31))
    (finding,) = ce_progress(nbcot, cycle=cycle, activities=[], today=D(2027, 3, 1)).findings
    assert "NBCOT continuing education: 0 of 36 hours" in finding.message
    assert finding.message.endswith("(check: verify the current figure before relying on it)")


days = st.integers(min_value=-400, max_value=1200).map(lambda n: D(2024, 7, 1) + timedelta(n))
hours = st.decimals(min_value=Decimal("0.25"), max_value=Decimal("40"), places=2)
bodies = st.sampled_from(["OH", "IN", NBCOT])
activities = st.lists(st.builds(CeActivity, days, hours, bodies), max_size=12)


@given(activities, st.builds(CeActivity, days, hours, bodies))
def test_adding_an_activity_never_reduces_earned_hours(
    done: list[CeActivity], extra: CeActivity
) -> None:
    before = earned_hours(done, counts_toward="OH", cycle=CYCLE)
    after = earned_hours([*done, extra], counts_toward="OH", cycle=CYCLE)
    assert after >= before
    counted = extra.counts_toward == "OH" and CYCLE.contains(extra.completed_on)
    assert after - before == (extra.hours if counted else 0)


@given(activities)
def test_activities_outside_the_cycle_do_not_count(done: list[CeActivity]) -> None:
    inside = [a for a in done if CYCLE.contains(a.completed_on)]
    assert earned_hours(done, counts_toward="OH", cycle=CYCLE) == earned_hours(
        inside, counts_toward="OH", cycle=CYCLE
    )
    progress = ce_progress(OH, cycle=CYCLE, activities=done, today=D(2026, 1, 1))
    assert progress.earned + progress.still_needed >= OH.hours


CPR = "CPR/BLS"


@pytest.mark.parametrize(
    ("held", "today", "ids"),
    [
        ([Certificate(CPR, D(2026, 5, 1))], D(2026, 5, 1), []),
        ([Certificate(CPR, D(2026, 5, 1))], D(2026, 5, 2), ["certificates.lapsed"]),
        ([Certificate(CPR, D(2024, 5, 1)), Certificate(CPR, D(2027, 5, 1))], D(2026, 5, 2), []),
        ([Certificate("First Aid", D(2027, 5, 1))], D(2026, 5, 2), ["certificates.missing"]),
    ],
    ids=["expires today", "a day after", "renewed", "only another type"],
)
def test_a_required_certificate_lapsed_or_missing_is_a_warning(
    held: list[Certificate], today: date, ids: list[str]
) -> None:
    found = certificate_findings(required=[CPR], certificates=held, today=today)
    assert [f.rule_id for f in found] == ids
    assert all(f.severity == "warning" and "Clinic policy" in f.citation for f in found)


def test_a_certificate_the_clinic_does_not_require_is_not_judged() -> None:
    held = [Certificate("First Aid", D(2020, 1, 1))]
    assert certificate_findings(required=[], certificates=held, today=D(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("expires", "state", "label"),
    [
        (D(2026, 3, 3), ExpiryState.OK, "OK"),
        (D(2026, 3, 2), ExpiryState.EXPIRING, "Expiring in 60 days"),
        (D(2026, 1, 1), ExpiryState.EXPIRING, "Expiring in 0 days"),
        (D(2025, 12, 31), ExpiryState.LAPSED, "Lapsed"),
        (D(2025, 12, 1), ExpiryState.LAPSED, "Lapsed 31 days ago"),
    ],
)
def test_expiry_status_reads_ok_expiring_or_lapsed(
    expires: date, state: ExpiryState, label: str
) -> None:
    status = expiry_status(expires_on=expires, today=D(2026, 1, 1))
    assert (status.state, status.label) == (state, label)
