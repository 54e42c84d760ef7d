"""A clinician's credentials at a glance: each credential's status, CE progress and findings.

Builds the facts the domain rules need from a staff profile's rows (licenses, NBCOT, the
certificates the clinic tracks, CE activities and the clinic's CE requirements) and asks them:
`domain.compliance.credentials` (legal credentials, errors), `certificates` (clinic policy,
warnings) and `continuing_education` (hours in the renewal cycle, warnings). Reads only.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.staff.credentials import credential_findings_for
from otclinic.clinic.staff.models import NBCOT_BODY, CeRequirement, CertificateType, StaffProfile
from otclinic.domain.compliance import certificates as cert_rules
from otclinic.domain.compliance import continuing_education as ce
from otclinic.domain.compliance.certificates import ExpiryState, ExpiryStatus, expiry_status
from otclinic.domain.compliance.credentials import NBCOT_ROLES
from otclinic.domain.compliance.findings import Finding, Severity

SOON_DAYS = 60


@dataclass(frozen=True)
class CredentialLine:
    """One credential as the staff pages show it; `status` None when no expiry is recorded."""

    label: str
    status: ExpiryStatus | None
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class CeLine:
    """Progress toward one CE requirement, or why it cannot be computed (`missing`)."""

    label: str
    progress: ce.CeProgress | None
    missing: str = ""


@dataclass(frozen=True)
class StaffOverview:
    """Everything the staff list and a staff page show about one clinician's credentials."""

    staff: StaffProfile
    credentials: list[CredentialLine]
    ce: list[CeLine]
    findings: list[Finding] = field(default_factory=list)

    @property
    def worst(self) -> str:
        """'lapsed', 'expiring' or 'ok' across the credentials, errors counting as lapsed."""
        states = {line.status.state for line in self.credentials if line.status}
        if ExpiryState.LAPSED in states or any(f.severity == Severity.ERROR for f in self.findings):
            return "lapsed"
        return "expiring" if ExpiryState.EXPIRING in states else "ok"


@dataclass(frozen=True)
class ClinicFacts:
    """What the organization sets for every clinician: its clinics' states, the certificate
    types it requires and its CE requirements (read once for a whole staff list)."""

    states: list[str]
    required: list[str]
    requirements: list[CeRequirement]


def clinic_facts(organization_id: uuid.UUID) -> ClinicFacts:
    states = Clinic.objects.filter(organization_id=organization_id).values_list("state", flat=True)
    required = CertificateType.objects.for_org(organization_id).filter(required_for_clinicians=True)
    return ClinicFacts(
        sorted(set(states)),
        [t.name for t in required],
        list(CeRequirement.objects.for_org(organization_id)),
    )


def overview_of(staff: StaffProfile, *, today: dt.date, clinic: ClinicFacts) -> StaffOverview:
    """The overview of `staff` on `today`, judged for the states where the clinic practises."""
    states, required, requirements = clinic.states, clinic.required, clinic.requirements
    findings = [f for s in states for f in credential_findings_for(staff, state=s, first_day=today)]
    findings += cert_rules.certificate_findings(
        required=required, certificates=_certificate_facts(staff), today=today
    )
    ce_lines = [_ce_line(staff, r, today) for r in requirements if _applies(staff, r)]
    findings += [f for line in ce_lines if line.progress for f in line.progress.findings]
    return StaffOverview(staff, _credential_lines(staff, today, required), ce_lines, findings)


def ce_lines_by_requirement(
    staff: StaffProfile, *, today: dt.date, clinic: ClinicFacts
) -> list[tuple[CeRequirement, CeLine]]:
    """Each of the clinic's CE requirement rows that applies to `staff`, with its progress."""
    return [(r, _ce_line(staff, r, today)) for r in clinic.requirements if _applies(staff, r)]


def _status(expires_on: dt.date | None, today: dt.date) -> ExpiryStatus | None:
    if expires_on is None:
        return None
    return expiry_status(expires_on=expires_on, today=today, soon_days=SOON_DAYS)


def _latest_licenses(staff: StaffProfile) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for lic in staff.licenses.all():
        if lic.state not in latest or lic.expires_on > latest[lic.state].expires_on:
            latest[lic.state] = lic
    return latest


def _credential_lines(
    staff: StaffProfile, today: dt.date, required: list[str]
) -> list[CredentialLine]:
    lines = [
        CredentialLine(
            f"{state} license {lic.number}", _status(lic.expires_on, today), lic.expires_on
        )
        for state, lic in sorted(_latest_licenses(staff).items())
    ]
    if staff.user.role in {str(r) for r in NBCOT_ROLES}:
        label = f"NBCOT {staff.nbcot_credential or 'certification'}"
        expires = staff.nbcot_expires_on
        lines.append(CredentialLine(label, _status(expires, today), expires))
    latest: dict[str, Any] = {}
    for cert in staff.certificates.all():
        name = cert.certificate_type.name
        if name not in latest or cert.expires_on > latest[name].expires_on:
            latest[name] = cert
    lines += [
        CredentialLine(f"{name} certificate", _status(c.expires_on, today), c.expires_on)
        for name, c in sorted(latest.items())
    ]
    return lines


def _certificate_facts(staff: StaffProfile) -> list[cert_rules.Certificate]:
    return [
        cert_rules.Certificate(c.certificate_type.name, c.expires_on)
        for c in staff.certificates.all()
    ]


def requirement_facts(row: CeRequirement, today: dt.date) -> ce.CeRequirement:
    """The clinic's requirement row as the rule's input.

    An NBCOT row with no source of the clinic's own cites NBCOT's default figure, which our
    reference does not state, so its findings say "check".
    """
    nbcot = ce.nbcot_requirement(today) if row.counts_toward == NBCOT_BODY else None
    if nbcot is not None and not row.source:
        return ce.CeRequirement(NBCOT_BODY, row.hours, row.cycle_months, nbcot.source, nbcot.check)
    source = row.source or f"the clinic's requirement for {row.counts_toward}"
    return ce.CeRequirement(row.counts_toward, row.hours, row.cycle_months, source)


def _applies(staff: StaffProfile, row: CeRequirement) -> bool:
    if row.counts_toward == NBCOT_BODY:
        return staff.user.role in {str(r) for r in NBCOT_ROLES}
    return any(lic.state == row.counts_toward for lic in staff.licenses.all())


def _ce_line(staff: StaffProfile, row: CeRequirement, today: dt.date) -> CeLine:
    requirement = requirement_facts(row, today)
    if row.counts_toward == NBCOT_BODY:
        label, expires, issued = "NBCOT", staff.nbcot_expires_on, None
    else:
        lic = _latest_licenses(staff)[row.counts_toward]
        label, expires, issued = f"{row.counts_toward} license", lic.expires_on, lic.issued_on
    if expires is None:
        return CeLine(label, None, "Record the NBCOT expiry to know the renewal cycle.")
    cycle = ce.renewal_cycle(requirement, expires_on=expires, issued_on=issued)
    if cycle is None:
        return CeLine(label, None, "Record the license's issue date: the cycle is its period.")
    activities = [
        ce.CeActivity(a.completed_on, a.hours, a.counts_toward) for a in staff.ce_activities.all()
    ]
    return CeLine(
        label, ce.ce_progress(requirement, cycle=cycle, activities=activities, today=today)
    )
