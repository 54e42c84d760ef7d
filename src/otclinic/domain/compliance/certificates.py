"""Certificates the clinic tracks (CPR/BLS, First Aid, ...) and how a credential's expiry reads.

A certificate the clinic requires of its clinicians is the clinic's own policy, not a licensing
law: one that has lapsed (or was never recorded) is a `warning` for the clinic admin to chase,
and never blocks signing, booking or claims (docs/credentials.md). Licenses and NBCOT
certification are the legal credentials; their lapse is an error (`credentials.py`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otclinic.domain.compliance.findings import Finding, Rule, Severity

CLINIC_POLICY = (
    "Clinic policy: certificates the clinic requires of its clinicians (CPR/BLS and others); "
    "not a licensing requirement, so a lapse warns and does not block care"
)
CERTIFICATE_MISSING = Rule(
    "certificates.missing",
    Severity.WARNING,
    CLINIC_POLICY,
    "A certificate the clinic requires is not on file.",
)
CERTIFICATE_LAPSED = Rule(
    "certificates.lapsed",
    Severity.WARNING,
    CLINIC_POLICY,
    "A certificate the clinic requires has expired.",
)


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate on file: its type's name and its expiry."""

    kind: str
    expires_on: date


def certificate_findings(
    *, required: Iterable[str], certificates: Iterable[Certificate], today: date
) -> list[Finding]:
    """A warning for each required certificate type with none in force `today`."""
    held = list(certificates)
    found = []
    for kind in sorted(set(required)):
        expiries = [c.expires_on for c in held if c.kind == kind]
        if not expiries:
            found.append(CERTIFICATE_MISSING.finding(f"no {kind} certificate on file"))
        elif max(expiries) < today:
            found.append(
                CERTIFICATE_LAPSED.finding(
                    f"the {kind} certificate expired on {max(expiries).isoformat()}"
                )
            )
    return found


class ExpiryState(StrEnum):
    """How a dated credential stands today."""

    OK = "ok"
    EXPIRING = "expiring"
    LAPSED = "lapsed"


@dataclass(frozen=True, slots=True)
class ExpiryStatus:
    """A credential's standing today and the days left (negative once lapsed)."""

    state: ExpiryState
    days_left: int

    @property
    def label(self) -> str:
        if self.state is ExpiryState.LAPSED:
            return f"Lapsed {-self.days_left} days ago" if self.days_left < -1 else "Lapsed"
        if self.state is ExpiryState.EXPIRING:
            return (
                f"Expiring in {self.days_left} days" if self.days_left != 1 else "Expiring tomorrow"
            )
        return "OK"


def expiry_status(*, expires_on: date, today: date, soon_days: int = 60) -> ExpiryStatus:
    """OK, expiring within `soon_days` (the expiry day itself included), or lapsed."""
    left = (expires_on - today).days
    if left < 0:
        return ExpiryStatus(ExpiryState.LAPSED, left)
    if left <= soon_days:
        return ExpiryStatus(ExpiryState.EXPIRING, left)
    return ExpiryStatus(ExpiryState.OK, left)
