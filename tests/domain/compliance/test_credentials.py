"""Credentials in force on the dates of service, and the alert windows before expiry."""

from datetime import date

import pytest

from otclinic.domain.codes import Role
from otclinic.domain.compliance.credentials import (
    Credentials,
    License,
    alert_window,
    alert_windows,
    credential_findings,
    lapses,
)
from otclinic.domain.compliance.findings import Severity

D = date
OH_2027 = License("OH", D(2027, 6, 30), D(2024, 7, 1))
OH_2025 = License("OH", D(2025, 6, 30), D(2022, 7, 1))
IN_2027 = License("IN", D(2027, 6, 30))


@pytest.mark.parametrize(
    ("case", "role", "nbcot", "licenses", "day", "ids"),
    [
        ("all in force", Role.OT, D(2027, 12, 31), (OH_2027,), D(2026, 3, 12), []),
        ("license ran out", Role.OT, D(2027, 12, 31), (OH_2025,), D(2026, 3, 12),
         ["credentials.license_lapsed"]),
        ("renewed after an old one", Role.OTA, None, (OH_2025, OH_2027), D(2026, 3, 12), []),
        ("expires on the day of service", Role.OT, None, (OH_2027,), D(2027, 6, 30), []),
        ("a day after expiry", Role.OT, None, (OH_2027,), D(2027, 7, 1),
         ["credentials.license_lapsed"]),
        ("not issued yet", Role.OT, None, (OH_2027,), D(2024, 6, 30),
         ["credentials.license_lapsed"]),
        ("only another state", Role.OT, None, (IN_2027,), D(2026, 3, 12),
         ["credentials.no_license_for_state"]),
        ("no license at all", Role.OTA, None, (), D(2026, 3, 12),
         ["credentials.no_license_for_state"]),
        ("NBCOT lapsed", Role.OTA, D(2026, 3, 11), (OH_2027,), D(2026, 3, 12),
         ["credentials.nbcot_lapsed"]),
        ("NBCOT expires that day", Role.OTA, D(2026, 3, 12), (OH_2027,), D(2026, 3, 12), []),
        ("both lapsed", Role.OT, D(2025, 1, 1), (OH_2025,), D(2026, 3, 12),
         ["credentials.license_lapsed", "credentials.nbcot_lapsed"]),
        ("a biller holds no credentials", Role.BILLER, D(2020, 1, 1), (), D(2026, 3, 12), []),
        ("a PT needs a license", Role.PT, None, (OH_2025,), D(2026, 3, 12),
         ["credentials.license_lapsed"]),
        ("NBCOT is not a PT's", Role.PT, D(2020, 1, 1), (OH_2027,), D(2026, 3, 12), []),
    ],
)  # fmt: skip
def test_credentials_on_the_day_of_service(
    case: str,
    role: Role,
    nbcot: date | None,
    licenses: tuple[License, ...],
    day: date,
    ids: list[str],
) -> None:
    found = credential_findings(Credentials(role, nbcot, licenses), state="OH", first_day=day)
    assert [f.rule_id for f in found] == ids
    assert all(f.severity is Severity.ERROR and "CARC B7" in f.citation for f in found)


def test_a_claim_needs_one_license_in_force_for_its_whole_span() -> None:
    creds = Credentials(Role.OT, None, (OH_2025,))
    inside = credential_findings(
        creds, state="OH", first_day=D(2025, 6, 1), last_day=D(2025, 6, 30)
    )
    across = credential_findings(creds, state="OH", first_day=D(2025, 6, 1), last_day=D(2025, 7, 1))
    assert inside == []
    assert [f.message for f in across] == [
        "no OH license in force on 2025-06-01 to 2025-07-01: the latest expired on 2025-06-30"
    ]


def test_the_message_names_the_expiry() -> None:
    creds = Credentials(Role.OTA, D(2026, 2, 1), (OH_2027,))
    [finding] = credential_findings(creds, state="OH", first_day=D(2026, 3, 12))
    assert finding.message == "the NBCOT certification expired on 2026-02-01, before 2026-03-12"


def test_lapses_leave_out_a_license_never_recorded() -> None:
    creds = Credentials(Role.OT, D(2026, 1, 1), (IN_2027,))
    found = credential_findings(creds, state="OH", first_day=D(2026, 3, 12))
    assert [f.rule_id for f in lapses(found)] == ["credentials.nbcot_lapsed"]


def test_the_windows_are_60_30_and_7_days() -> None:
    assert alert_windows(D(2026, 3, 12)) == (60, 30, 7)
    assert alert_windows(D(2019, 12, 31)) == ()


@pytest.mark.parametrize(
    ("days_left", "window"),
    [(61, None), (60, 60), (45, 60), (31, 60), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)],
)
def test_the_narrowest_window_that_today_falls_in(days_left: int, window: int | None) -> None:
    expires = D(2026, 6, 30)
    today = D.fromordinal(expires.toordinal() - days_left)
    assert alert_window(expires_on=expires, today=today) == window
