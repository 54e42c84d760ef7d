"""Whether a clinician's credentials are in force on the dates of service, and when to warn.

Source: each state's OT practice act (a license for each state of practice) and NBCOT (the OTR or
COTA certification), each with an expiry date; Medicare's qualified OT and OTA are licensed by the
state (42 CFR 484.115(f) and (g)). A clinician whose license or
certification has lapsed must not furnish or sign services; a claim carrying them is denied
(CARC B7, "provider not certified/eligible on this date of service"). Like every rule here, this
only reports: signing, booking and the claim scrubber decide what an `error` blocks.
The alert windows (60, 30 and 7 days) are a dated parameter in `rules/credential_alert_windows.yaml`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from otclinic.domain.billing.parameters import DatedParameter, load_parameter
from otclinic.domain.codes import Role
from otclinic.domain.compliance.findings import Finding, Rule, Severity

ALERT_WINDOWS_FILE = (
    Path(__file__).resolve().parent.parent / "rules" / "credential_alert_windows.yaml"
)
CITATION = (
    "State OT practice acts and NBCOT; 42 CFR 484.115(f)-(g): a clinician whose license or "
    "certification has lapsed must not furnish or sign services; a claim carrying them is denied "
    "(CARC B7)"
)
# Roles that practise under a state license; OTs and OTAs also under an NBCOT certification.
CREDENTIALED_ROLES = frozenset({Role.OT, Role.OTA, Role.PT, Role.PTA, Role.SLP})
NBCOT_ROLES = frozenset({Role.OT, Role.OTA})

LICENSE_LAPSED = Rule(
    "credentials.license_lapsed",
    Severity.ERROR,
    CITATION,
    "No state license in force for the state of service on the dates of service.",
)
NO_LICENSE_FOR_STATE = Rule(
    "credentials.no_license_for_state",
    Severity.ERROR,
    CITATION,
    "No license on file for the state of service.",
)
NBCOT_LAPSED = Rule(
    "credentials.nbcot_lapsed",
    Severity.ERROR,
    CITATION,
    "The NBCOT certification expired before the date of service.",
)
# A lapse: the credential was on file and ran out (as against never recorded).
LAPSES = frozenset({LICENSE_LAPSED.rule_id, NBCOT_LAPSED.rule_id})


class CredentialKind(StrEnum):
    """The credentials otclinic tracks with an expiry date (certificates: the clinic's own)."""

    LICENSE = "license"
    NBCOT = "nbcot"
    CERTIFICATE = "certificate"


@dataclass(frozen=True, slots=True)
class License:
    """A state license: the state, its expiry and, when known, the day it was issued."""

    state: str
    expires_on: date
    issued_on: date | None = None

    def in_force(self, first: date, last: date) -> bool:
        """Whether this license covers every day from `first` to `last`."""
        issued = self.issued_on is None or self.issued_on <= first
        return issued and self.expires_on >= last


@dataclass(frozen=True, slots=True)
class Credentials:
    """A clinician's credentials as the rule needs them."""

    role: Role
    nbcot_expires_on: date | None
    licenses: tuple[License, ...] = ()


def credential_findings(
    credentials: Credentials, *, state: str, first_day: date, last_day: date | None = None
) -> list[Finding]:
    """Errors for each credential not in force in `state` from `first_day` to `last_day`.

    An NBCOT expiry left blank is not judged (not every clinic records it); a state with no
    license on file at all is `no_license_for_state`, one whose licenses all ran out is a lapse.
    """
    if credentials.role not in CREDENTIALED_ROLES:
        return []
    last = last_day or first_day
    return [
        f
        for f in (
            _license_finding(credentials.licenses, state, first_day, last),
            _nbcot_finding(credentials.nbcot_expires_on, last)
            if credentials.role in NBCOT_ROLES
            else None,
        )
        if f is not None
    ]


def lapses(findings: list[Finding]) -> list[Finding]:
    """The findings that are lapses of a credential on file."""
    return [f for f in findings if f.rule_id in LAPSES]


def _license_finding(
    licenses: tuple[License, ...], state: str, first: date, last: date
) -> Finding | None:
    in_state = [lic for lic in licenses if lic.state == state]
    if any(lic.in_force(first, last) for lic in in_state):
        return None
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    if not in_state:
        return NO_LICENSE_FOR_STATE.finding(
            f"not licensed in {state}: no {state} license is on file (dates of service {span})"
        )
    latest = max(lic.expires_on for lic in in_state)
    why = (
        f"the latest expired on {latest.isoformat()}"
        if latest < last
        else "it was not yet issued on the first day"
    )
    return LICENSE_LAPSED.finding(f"no {state} license in force on {span}: {why}")


def _nbcot_finding(expires: date | None, last: date) -> Finding | None:
    if expires is None or expires >= last:
        return None
    return NBCOT_LAPSED.finding(
        f"the NBCOT certification expired on {expires.isoformat()}, before {last.isoformat()}"
    )


@lru_cache(maxsize=1)
def _alert_windows() -> DatedParameter:
    return load_parameter(ALERT_WINDOWS_FILE)


def alert_windows(day: date) -> tuple[int, ...]:
    """The alert windows in force on `day`, in days before expiry, longest first."""
    entry = _alert_windows().entry_on(day)
    return tuple(sorted((int(d) for d in entry.value), reverse=True)) if entry else ()


def alert_window(*, expires_on: date, today: date) -> int | None:
    """The narrowest window `today` falls in before `expires_on`, or None (too early, or lapsed).

    With windows 60/30/7: 45 days before expiry is in the 60-day window, 30 days in the 30-day
    one, the day of expiry in the 7-day one; a day after expiry in none (it has lapsed).
    """
    left = (expires_on - today).days
    if left < 0:
        return None
    inside = [w for w in alert_windows(today) if left <= w]
    return min(inside) if inside else None


def expires_within(*, expires_on: date, today: date, days: int) -> bool:
    """Whether a credential expires between today and `days` from now (inclusive)."""
    return today <= expires_on <= today + timedelta(days=days)
