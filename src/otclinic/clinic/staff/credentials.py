"""Adapter: a staff profile's rows as the credentials rule's facts, and the blocks built on it.

Signing, co-signing, booking and the claim scrubber all ask the one rule in
`otclinic.domain.compliance.credentials`; this module only turns rows into its facts.
"""

import datetime as dt

from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.codes import Role
from otclinic.domain.compliance.credentials import (
    Credentials,
    License,
    credential_findings,
)
from otclinic.domain.compliance.findings import Finding


def credentials_of(staff: StaffProfile) -> Credentials:
    """The staff member's role, NBCOT expiry and state licenses as the rule's facts."""
    return Credentials(
        role=Role(staff.user.role),
        nbcot_expires_on=staff.nbcot_expires_on,
        licenses=tuple(
            License(state=lic.state, expires_on=lic.expires_on, issued_on=lic.issued_on)
            for lic in staff.licenses.all()
        ),
    )


def credential_findings_for(
    staff: StaffProfile, *, state: str, first_day: dt.date, last_day: dt.date | None = None
) -> list[Finding]:
    """Every credential error for `staff` in `state` over the dates of service (claims)."""
    return credential_findings(
        credentials_of(staff), state=state, first_day=first_day, last_day=last_day
    )


def credential_problems_for(staff: StaffProfile, state: str, day: dt.date) -> list[Finding]:
    """The credential errors that keep `staff` from furnishing or signing care in `state` on `day`.

    Signing, co-signing, booking and the claim scrubber refuse the same three things: a license
    for the state that has run out, an NBCOT certification that has run out, and no license for
    the state at all ("not licensed in OH"). Practising in a state without its license is no
    safer than practising on a lapsed one, so the block is the same (docs/credentials.md).
    """
    return credential_findings_for(staff, state=state, first_day=day)
