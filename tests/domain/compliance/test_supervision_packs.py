"""OTA supervision packs as a table of cases: each state, Medicare and TRICARE (supervision.md)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.codes import PayerPlan, Role, Setting
from otclinic.domain.compliance.credentials import Credentials, License
from otclinic.domain.compliance.findings import Severity
from otclinic.domain.compliance.supervision import default_packs as cosign_packs
from otclinic.domain.compliance.supervision_checks import (
    VisitFacts,
    supervisor_problems,
    visit_supervision,
)
from otclinic.domain.compliance.supervision_contacts import (
    Contact,
    MonthHours,
    OtaFacts,
    Plan,
    SupervisionStatus,
    supervision_status,
)
from otclinic.domain.compliance.supervision_packs import (
    ContactMethod,
    Level,
    SupervisionPack,
    Tier,
    WorkContext,
    default_packs,
    months_between,
)

TODAY = dt.date(2026, 3, 12)
PP = Setting.PRIVATE_PRACTICE
COMMERCIAL = PayerPlan.COMMERCIAL
FIRST_YEAR = dt.date(2025, 9, 1)  # six months of practice on TODAY
SECOND_YEAR = dt.date(2024, 9, 1)  # eighteen months
VETERAN = dt.date(2020, 1, 1)
PHONE, IN_PERSON, VIDEO = ContactMethod.PHONE, ContactMethod.IN_PERSON, ContactMethod.VIDEO


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def ota(
    state: str, *, payer: PayerPlan = COMMERCIAL, setting: Setting = PP, **kw: object
) -> OtaFacts:
    facts: dict[str, object] = {"contexts": (WorkContext(state, setting, payer),)}
    facts.update(kw)
    return OtaFacts(**facts)  # type: ignore[arg-type]


def contact(
    days_ago: int, method: ContactMethod = PHONE, minutes: int = 30, on_site: bool = False
) -> Contact:
    return Contact(ago(days_ago), method, minutes, on_site)


def status(facts: OtaFacts, as_of: dt.date = TODAY) -> SupervisionStatus:
    return supervision_status(facts, as_of=as_of)


def ids(s: SupervisionStatus) -> set[str]:
    return {f.rule_id for f in s.findings}


# --- Contact frequency: the earliest due date wins -------------------------------------------


@pytest.mark.parametrize(
    ("case", "facts", "due", "overdue", "winner"),
    [
        (
            "Ohio, first year, last contact 8 days ago: overdue (worked case)",
            ota("OH", practice_started_on=FIRST_YEAR, contacts=(contact(8),)),
            ago(1),
            True,
            "supervision.oh.contact",
        ),
        (
            "Ohio, second year, last contact 20 days ago: fine (worked case)",
            ota("OH", practice_started_on=SECOND_YEAR, contacts=(contact(20),)),
            ago(20) + dt.timedelta(days=30),
            False,
            "supervision.oh.contact",
        ),
        (
            "Ohio, first year, contact 7 days ago: due today, not yet overdue",
            ota("OH", practice_started_on=FIRST_YEAR, contacts=(contact(7),)),
            TODAY,
            False,
            "supervision.oh.contact",
        ),
        (
            "Ohio, a video call counts as interactive supervision",
            ota("OH", practice_started_on=FIRST_YEAR, contacts=(contact(2, VIDEO),)),
            ago(2) + dt.timedelta(days=7),
            False,
            "supervision.oh.contact",
        ),
        (
            "California: periodic means at least every 30 days",
            ota("CA", contacts=(contact(31),)),
            ago(1),
            True,
            "supervision.ca.periodic",
        ),
        (
            "Arizona, new to the setting: routine, on-site contact every 14 days; a call does not count",
            ota(
                "AZ",
                setting_started_on=FIRST_YEAR,
                contacts=(contact(20, IN_PERSON, on_site=True), contact(3, PHONE)),
            ),
            ago(6),
            True,
            "supervision.az.setting",
        ),
        (
            "Arizona, 18 months in the setting: general, on-site monthly",
            ota(
                "AZ",
                setting_started_on=SECOND_YEAR,
                contacts=(contact(20, IN_PERSON, on_site=True),),
            ),
            ago(20) + dt.timedelta(days=30),
            False,
            "supervision.az.setting",
        ),
        (
            "New York: the written plan sets the frequency (every 14 days, in person only)",
            ota(
                "NY",
                plan=Plan(14, frozenset({IN_PERSON}), notes_cosigned=True),
                contacts=(contact(10, IN_PERSON), contact(2, PHONE)),
            ),
            ago(10) + dt.timedelta(days=14),
            False,
            "supervision.ny.plan",
        ),
    ],
)
def test_the_next_contact_falls_due_by_the_strictest_frequency(
    case: str, facts: OtaFacts, due: dt.date, overdue: bool, winner: str
) -> None:
    result = status(facts)
    assert result.contact is not None, case
    assert (result.contact.due_on, result.contact.overdue, result.contact.rule_id) == (
        due,
        overdue,
        winner,
    ), case
    assert result.overdue is overdue, case


def test_the_overdue_finding_shows_the_arithmetic_and_the_citation() -> None:
    result = status(ota("OH", practice_started_on=FIRST_YEAR, contacts=(contact(8),)))
    finding = next(f for f in result.findings if f.severity is Severity.ERROR)
    assert finding.rule_id == "supervision.oh.contact"
    assert f"last counted contact {ago(8)} + 7 days = due {ago(1)}" in finding.message
    assert "1 day overdue" in finding.message
    assert finding.citation.startswith("OAC 4755-7-04")
    assert finding.due_on == ago(1)


def test_with_no_contact_the_first_is_due_a_period_after_supervision_began() -> None:
    result = status(ota("OH", practice_started_on=FIRST_YEAR, supervised_since=ago(3)))
    assert result.contact is not None
    assert result.contact.due_on == ago(3) + dt.timedelta(days=7)
    assert "no counted contact on file" in next(
        f.message for f in result.findings if "Supervision contact" in f.message
    )


def test_two_states_the_earlier_due_date_wins_and_the_finding_says_over_whom() -> None:
    facts = OtaFacts(
        contexts=(WorkContext("OH", PP, COMMERCIAL), WorkContext("CA", PP, COMMERCIAL)),
        practice_started_on=FIRST_YEAR,
        contacts=(contact(5),),
    )
    result = status(facts)
    assert result.contact is not None
    assert result.contact.rule_id == "supervision.oh.contact"
    text = next(f.message for f in result.findings if "Supervision contact" in f.message)
    assert "Strictest of 2 contact rules" in text
    assert f"California (periodic supervision) due {ago(5) + dt.timedelta(days=30)}" in text


# --- Illinois: a percentage of the month's hours ---------------------------------------------


@pytest.mark.parametrize(
    ("case", "started", "hours", "contacts", "required", "on_site", "short"),
    [
        (
            "under 1 year, 160 hours this month: 8 hours on-site face to face (worked case)",
            FIRST_YEAR,
            "160",
            (),
            480,
            True,
            480,
        ),
        (
            "under 1 year: phone minutes do not count toward the on-site share",
            FIRST_YEAR,
            "160",
            (contact(2, PHONE, 120), contact(3, IN_PERSON, 300, on_site=True)),
            480,
            True,
            180,
        ),
        (
            "over 1 year: 5% by any method",
            VETERAN,
            "160",
            (contact(2, PHONE, 120), contact(3, IN_PERSON, 300, on_site=True)),
            480,
            False,
            60,
        ),
        (
            "part-time month, 37.5 hours: 112.5 minutes rounds up to 113",
            VETERAN,
            "37.5",
            (),
            113,
            False,
            113,
        ),
    ],
)
def test_illinois_owes_five_percent_of_the_months_hours(
    case: str,
    started: dt.date,
    hours: str,
    contacts: tuple[Contact, ...],
    required: int,
    on_site: bool,
    short: int,
) -> None:
    facts = ota(
        "IL",
        practice_started_on=started,
        setting_started_on=started,
        contacts=contacts,
        hours=(MonthHours(TODAY.replace(day=1), Decimal(hours)),),
    )
    result = status(facts)
    assert result.hours is not None, case
    assert result.hours.required_minutes == required, case
    assert result.hours.on_site_face_to_face is on_site, case
    assert result.hours.short_minutes == short, case
    assert result.hours.due_on == dt.date(2026, 3, 31), case


def test_the_illinois_finding_reads_as_the_worked_case() -> None:
    facts = ota(
        "IL",
        practice_started_on=FIRST_YEAR,
        hours=(MonthHours(dt.date(2026, 3, 1), Decimal("160")),),
    )
    text = next(f.message for f in status(facts).findings if "Supervision hours" in f.message)
    assert "5% of 160 hours worked = 8 h (480 min) of on-site face-to-face supervision" in text
    assert "by 2026-03-31" in text


def test_illinois_last_months_shortfall_is_overdue() -> None:
    facts = ota(
        "IL",
        practice_started_on=VETERAN,
        setting_started_on=VETERAN,
        hours=(MonthHours(dt.date(2026, 2, 1), Decimal("100")),),
        contacts=(Contact(dt.date(2026, 2, 10), PHONE, 120),),
    )
    result = status(facts)
    assert result.hours_last_month is not None
    assert result.hours_last_month.required_minutes == 300
    assert result.hours_last_month.short_minutes == 180
    assert result.overdue
    assert any("3 h short, overdue" in f.message for f in result.findings)


def test_illinois_new_to_the_setting_is_a_check_tier_and_says_so() -> None:
    facts = ota("IL", practice_started_on=VETERAN, setting_started_on=FIRST_YEAR)
    result = status(facts)
    pack = next(f for f in result.findings if f.rule_id == "supervision.il.hours")
    assert pack.check and "check:" in pack.message
    assert "new to the setting" in pack.message


# --- New York: the written plan ----------------------------------------------------------------


def test_new_york_without_a_written_plan_blocks_scheduling() -> None:
    result = status(ota("NY"))
    assert result.blocks_scheduling
    assert result.overdue
    error = next(f for f in result.findings if f.severity is Severity.ERROR)
    assert error.rule_id == "supervision.ny.plan"
    assert "cannot be scheduled" in error.message
    assert "8 NYCRR 76.8" in error.citation


def test_new_york_with_a_plan_schedules_and_reports_the_plan() -> None:
    plan = Plan(14, frozenset({IN_PERSON, VIDEO}), notes_cosigned=False)
    result = status(ota("NY", plan=plan, contacts=(contact(1, VIDEO),)))
    assert not result.blocks_scheduling
    assert any("notes are initialed" in f.message for f in result.findings)


@pytest.mark.parametrize("state", ["OH", "IL", "CA", "TX", "AZ", "NC", "PA", "MD"])
def test_only_new_york_asks_for_a_written_plan(state: str) -> None:
    assert not status(ota(state)).blocks_scheduling


# --- Levels: the highest rank wins -------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "facts", "level", "winner"),
    [
        (
            "North Carolina, first year: close",
            ota("NC", practice_started_on=FIRST_YEAR, setting_started_on=FIRST_YEAR),
            Level.CLOSE,
            "supervision.nc.level",
        ),
        (
            "North Carolina, veteran long in the setting: general",
            ota("NC", practice_started_on=VETERAN, setting_started_on=VETERAN),
            Level.GENERAL,
            "supervision.nc.level",
        ),
        (
            "North Carolina, veteran new to the setting: close",
            ota("NC", practice_started_on=VETERAN, setting_started_on=FIRST_YEAR),
            Level.CLOSE,
            "supervision.nc.level",
        ),
        (
            "Arizona, over 24 months in the setting: minimal",
            ota("AZ", setting_started_on=VETERAN),
            Level.MINIMAL,
            "supervision.az.setting",
        ),
        ("Pennsylvania: periodic", ota("PA"), Level.PERIODIC, "supervision.pa.level"),
        ("Maryland: periodic", ota("MD"), Level.PERIODIC, "supervision.md.level"),
        ("Texas: not stated", ota("TX"), Level.NOT_STATED, "supervision.tx.level"),
        (
            "Medicare hospital outpatient in Ohio: general",
            ota("OH", payer=PayerPlan.MEDICARE_PART_B, setting=Setting.HOSPITAL_OUTPATIENT),
            Level.GENERAL,
            "supervision.medicare.institutional",
        ),
        (
            "TRICARE private practice in California: direct beats periodic",
            ota("CA", payer=PayerPlan.TRICARE),
            Level.DIRECT,
            "supervision.tricare.private_practice",
        ),
        (
            "Medicare private practice in 2026: general",
            ota("MD", payer=PayerPlan.MEDICARE_PART_B),
            Level.GENERAL,
            "supervision.medicare.private_practice.general",
        ),
    ],
)
def test_the_strictest_level_wins(case: str, facts: OtaFacts, level: Level, winner: str) -> None:
    result = status(facts)
    assert (result.level, result.level_rule_id) == (level, winner), case


def test_medicare_private_practice_was_direct_until_the_end_of_2024() -> None:
    result = status(ota("MD", payer=PayerPlan.MEDICARE_PART_B), as_of=dt.date(2024, 12, 30))
    assert result.level is Level.DIRECT
    assert result.level_rule_id == "supervision.medicare.private_practice.direct"


# --- "check" packs say so ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "rule_id"), [("TX", "supervision.tx.level"), ("AZ", "supervision.az.setting")]
)
def test_check_packs_say_so_in_their_findings(state: str, rule_id: str) -> None:
    result = status(ota(state, setting_started_on=FIRST_YEAR))
    mine = [f for f in result.findings if f.rule_id == rule_id]
    assert mine and all(f.check and "check: verify" in f.message for f in mine)


def test_firm_and_likely_packs_do_not_say_check() -> None:
    result = status(ota("OH", practice_started_on=FIRST_YEAR, contacts=(contact(1),)))
    assert not any(f.check or "check:" in f.message for f in result.findings)


def test_texas_says_the_old_fixed_hours_rule_was_repealed() -> None:
    text = next(
        f.message for f in status(ota("TX")).findings if f.rule_id == "supervision.tx.level"
    )
    assert "repealed in 2019" in text
    assert "temporary licensees: every note co-signed" in text


def test_an_unknown_practice_start_takes_the_strict_tier_and_warns() -> None:
    result = status(ota("OH", contacts=(contact(8),)))
    assert result.contact is not None and result.contact.every_days == 7
    assert "supervision.practice_start_unknown" in ids(result)


def test_a_state_without_a_pack_says_no_rule_applies() -> None:
    result = status(ota("WA"))
    assert ids(result) == {"supervision.none"}
    assert result.contact is None and not result.overdue


# --- One visit: Medicare private practice, TRICARE ---------------------------------------------


@pytest.mark.parametrize(
    ("case", "day", "payer", "in_suite", "severity"),
    [
        (
            "Medicare PP, OT out of the suite, 2024-12-30: non-compliant",
            dt.date(2024, 12, 30),
            PayerPlan.MEDICARE_PART_B,
            False,
            Severity.ERROR,
        ),
        (
            "Medicare PP, OT out of the suite, 2025-01-06: compliant",
            dt.date(2025, 1, 6),
            PayerPlan.MEDICARE_PART_B,
            False,
            Severity.INFO,
        ),
        (
            "Medicare PP, OT in the suite, 2024-12-30: compliant",
            dt.date(2024, 12, 30),
            PayerPlan.MEDICARE_PART_B,
            True,
            Severity.INFO,
        ),
        (
            "TRICARE PP, OT out of the suite, 2025-01-06: still direct",
            dt.date(2025, 1, 6),
            PayerPlan.TRICARE,
            False,
            Severity.ERROR,
        ),
        (
            "Commercial PP in Ohio, OT out of the suite: compliant",
            dt.date(2025, 1, 6),
            COMMERCIAL,
            False,
            Severity.INFO,
        ),
    ],
)
def test_a_visit_meets_the_level_in_force_on_its_day(
    case: str, day: dt.date, payer: PayerPlan, in_suite: bool, severity: Severity
) -> None:
    finding = visit_supervision(VisitFacts(day, WorkContext("OH", PP, payer), in_suite))
    assert finding.severity is severity, case
    assert str(day) in finding.message


# --- Who may supervise an OTA ---------------------------------------------------------------------


def credentials(
    role: Role = Role.OT, *licenses: License, nbcot: dt.date | None = None
) -> Credentials:
    return Credentials(role=role, nbcot_expires_on=nbcot, licenses=licenses)


OH_LICENSE = License("OH", dt.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("case", "creds", "nbcot", "states", "rule_ids"),
    [
        ("a licensed OTR in the OTA's state", credentials(Role.OT, OH_LICENSE), "OTR", {"OH"}, []),
        (
            "an OTA",
            credentials(Role.OTA, OH_LICENSE),
            "COTA",
            {"OH"},
            ["supervision.supervisor.role"],
        ),
        ("a PT", credentials(Role.PT, OH_LICENSE), "", {"OH"}, ["supervision.supervisor.role"]),
        (
            "an OT with a COTA credential on file",
            credentials(Role.OT, OH_LICENSE),
            "COTA",
            {"OH"},
            ["supervision.supervisor.nbcot"],
        ),
        (
            "no license in the OTA's state",
            credentials(Role.OT, OH_LICENSE),
            "OTR",
            {"NY"},
            ["credentials.no_license_for_state"],
        ),
        (
            "a lapsed license",
            credentials(Role.OT, License("OH", dt.date(2026, 1, 31))),
            "OTR",
            {"OH"},
            ["credentials.license_lapsed"],
        ),
        (
            "a lapsed NBCOT",
            credentials(Role.OT, OH_LICENSE, nbcot=dt.date(2026, 1, 1)),
            "OTR",
            {"OH"},
            ["credentials.nbcot_lapsed"],
        ),
        (
            "two states, licensed in one",
            credentials(Role.OT, OH_LICENSE),
            "OTR",
            {"OH", "IL"},
            ["credentials.no_license_for_state"],
        ),
    ],
)
def test_only_a_licensed_ot_may_supervise_an_ota(
    case: str, creds: Credentials, nbcot: str, states: set[str], rule_ids: list[str]
) -> None:
    found = supervisor_problems(
        credentials=creds, nbcot_credential=nbcot, ota_states=frozenset(states), on=TODAY
    )
    assert [f.rule_id for f in found] == rule_ids, case


# --- The shipped packs ---------------------------------------------------------------------------


def test_every_shipped_pack_is_cited_dated_and_points_at_real_cosign_packs() -> None:
    cosign_ids = {p.rule_id for p in cosign_packs()}
    packs = default_packs()
    states = {s for p in packs for s in (p.states or ())}
    assert {"OH", "IL", "NY", "NC", "CA", "AZ", "PA", "MD", "TX"} <= states
    assert {PayerPlan.TRICARE, PayerPlan.MEDICARE_PART_B} <= {
        plan for p in packs for plan in (p.payer_plans or ())
    }
    for pack in packs:
        assert pack.citation and pack.effective_from and pack.cosign, pack.rule_id
        assert pack.confidence in {"firm", "likely", "check"}, pack.rule_id
        assert set(pack.cosign_rules) <= cosign_ids, pack.rule_id
        assert not pack.tiers[-1].practice_months_under and not pack.tiers[-1].setting_months_under


@pytest.mark.parametrize(
    ("start", "day", "months"),
    [
        (dt.date(2025, 3, 12), dt.date(2026, 3, 12), 12),
        (dt.date(2025, 3, 13), dt.date(2026, 3, 12), 11),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), 0),
        (None, dt.date(2026, 3, 31), None),
    ],
)
def test_months_of_practice_count_whole_months(
    start: dt.date | None, day: dt.date, months: int | None
) -> None:
    assert months_between(start, day) == months


# --- Property: a stricter pack never loosens the answer -------------------------------------------

_STATES = ["OH", "IL", "NY", "CA", "AZ", "TX", "WA"]
tiers = st.builds(
    Tier,
    label=st.just("generated"),
    level=st.sampled_from(list(Level)),
    practice_months_under=st.none() | st.integers(1, 36),
    contact_every_days=st.none() | st.integers(1, 60),
    contact_methods=st.frozensets(st.sampled_from(list(ContactMethod)), min_size=1),
    contact_on_site=st.booleans(),
    percent_of_monthly_hours=st.none() | st.decimals(1, 20, places=1),
    percent_on_site_face_to_face=st.booleans(),
)
packs = st.builds(
    SupervisionPack,
    rule_id=st.just("generated.pack"),
    kind=st.just("state"),
    label=st.just("Generated"),
    citation=st.just("generated"),
    confidence=st.sampled_from(["firm", "check"]),
    cosign=st.just("not stated"),
    tiers=st.lists(tiers, min_size=1, max_size=3).map(tuple),
    written_plan_required=st.booleans(),
    states=st.none() | st.sampled_from(_STATES).map(lambda s: frozenset({s})),
)
contacts = st.lists(
    st.builds(
        Contact,
        on=st.dates(dt.date(2025, 12, 1), TODAY),
        method=st.sampled_from(list(ContactMethod)),
        minutes=st.integers(5, 240),
        on_site_face_to_face=st.booleans(),
    ),
    max_size=5,
).map(tuple)
facts = st.builds(
    OtaFacts,
    contexts=st.sampled_from(_STATES).map(lambda s: (WorkContext(s, PP, COMMERCIAL),)),
    practice_started_on=st.none() | st.dates(dt.date(2020, 1, 1), TODAY),
    setting_started_on=st.none() | st.dates(dt.date(2020, 1, 1), TODAY),
    supervised_since=st.none() | st.dates(dt.date(2025, 1, 1), TODAY),
    contacts=contacts,
    hours=st.decimals(0, 200, places=1).map(lambda h: (MonthHours(TODAY.replace(day=1), h),)),
    plan=st.none()
    | st.builds(Plan, st.integers(1, 30), st.just(frozenset(ContactMethod)), st.booleans()),
)


@given(facts=facts, extra=packs)
def test_adding_an_applicable_pack_never_makes_the_answer_looser(
    facts: OtaFacts, extra: SupervisionPack
) -> None:
    shipped = default_packs()
    before = supervision_status(facts, as_of=TODAY, packs=shipped)
    after = supervision_status(
        facts, as_of=TODAY, packs=(*shipped, replace(extra, rule_id="generated.pack"))
    )
    assert after.level.rank >= before.level.rank
    if before.contact is not None:
        assert after.contact is not None and after.contact.due_on <= before.contact.due_on
    if before.hours is not None:
        assert after.hours is not None and after.hours.short_minutes >= before.hours.short_minutes
    assert after.blocks_scheduling >= before.blocks_scheduling
    assert after.overdue >= before.overdue
