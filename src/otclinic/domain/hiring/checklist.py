"""What an offer and a hire need: the verification checklist complete and clean.

Source for the credentials: each state's OT practice act, NBCOT, and for Medicare 42 CFR
484.115(f)-(g) (a qualified OT or OTA is licensed by the state): an OT or OTA holds
an NBCOT certification (OTR or COTA) and a state license for each state of practice, each with
an expiry date, and one whose license or certification has lapsed must not furnish services.
So an offer needs the NBCOT certification (for OTs and OTAs) and every claimed license looked
up and found in force, a license for the state of the posting's clinic among them, and the
clinic's number of favourable references. The hire re-checks all of it on the day of the hire
(a license can lapse between offer and hire) and needs the onboarding items the clinic marks
"before hire". The reference count and the onboarding defaults are in `rules/hiring.yaml`.

Like every rule here, these only report; the hiring services refuse on any finding.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otclinic.domain.codes import Role
from otclinic.domain.compliance.findings import Finding, Rule, Severity

CREDENTIALS = (
    "State OT practice acts, NBCOT and 42 CFR 484.115(f)-(g): NBCOT certification (OTR or COTA) "
    "and a state license for each state of practice, each with an expiry date; a clinician "
    "whose license or certification has lapsed must not furnish services"
)
POLICY = "rules/hiring.yaml (the clinic's hiring settings; otclinic's defaults)"

# Roles that practise under a state license; OTs and OTAs also under an NBCOT certification.
LICENSED_ROLES = frozenset({Role.OT, Role.OTA, Role.PT, Role.PTA, Role.SLP})
NBCOT_ROLES = frozenset({Role.OT, Role.OTA})


class CheckResult(StrEnum):
    """What a lookup found: NBCOT's verification or a state board's license lookup."""

    ACTIVE = "active"
    EXPIRED = "expired"
    NOT_FOUND = "not_found"


class ReferenceResult(StrEnum):
    PENDING = "pending"
    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"
    NO_RESPONSE = "no_response"


def _rule(rule_id: str, citation: str, summary: str) -> Rule:
    return Rule(f"hiring.{rule_id}", Severity.ERROR, citation, summary)


NBCOT_NOT_CLAIMED = _rule("nbcot.not_claimed", CREDENTIALS, "No NBCOT certification claimed.")
NBCOT_UNVERIFIED = _rule("nbcot.unverified", CREDENTIALS, "NBCOT certification not verified.")
NBCOT_NOT_IN_FORCE = _rule("nbcot.not_in_force", CREDENTIALS, "NBCOT certification not in force.")
LICENSE_FOR_STATE = _rule(
    "license.none_for_state", CREDENTIALS, "No license claimed for the clinic's state."
)
LICENSE_UNVERIFIED = _rule("license.unverified", CREDENTIALS, "License not looked up.")
LICENSE_NOT_IN_FORCE = _rule("license.not_in_force", CREDENTIALS, "License not in force.")
REFERENCES_TOO_FEW = _rule("references.too_few", POLICY, "Too few favourable references.")
REFERENCE_UNFAVOURABLE = _rule("references.unfavourable", POLICY, "An unfavourable reference.")
ONBOARDING_OPEN = _rule("onboarding.before_hire_open", POLICY, "Onboarding before hire not done.")


@dataclass(frozen=True, slots=True)
class Lookup:
    """The latest lookup of a credential: what was found, and the expiry found when in force."""

    result: CheckResult
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class ClaimedLicense:
    state: str
    number: str
    lookup: Lookup | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    name: str
    result: ReferenceResult


@dataclass(frozen=True, slots=True)
class ApplicantChecks:
    """Everything the offer and the hire look at, for one applicant."""

    role: Role
    practice_state: str
    nbcot_number: str = ""
    nbcot: Lookup | None = None
    licenses: tuple[ClaimedLicense, ...] = ()
    references: tuple[Reference, ...] = ()
    references_required: int = 2
    open_before_hire: tuple[str, ...] = ()


def offer_blockers(checks: ApplicantChecks, *, on: date) -> tuple[Finding, ...]:
    """Why an offer cannot be made on `on`: each unverified or unclean item, or nothing."""
    return (
        *_nbcot_findings(checks, on),
        *_license_findings(checks, on),
        *_reference_findings(checks),
    )


def hire_blockers(checks: ApplicantChecks, *, on: date) -> tuple[Finding, ...]:
    """Why the hire cannot happen on `on`: the offer's checks again, and onboarding before hire."""
    found = list(offer_blockers(checks, on=on))
    if checks.open_before_hire:
        items = ", ".join(checks.open_before_hire)
        found.append(ONBOARDING_OPEN.finding(f"Onboarding to finish before the hire: {items}."))
    return tuple(found)


def _in_force_message(what: str, lookup: Lookup, on: date) -> str | None:
    """Why a lookup does not show a credential in force on `on`, or None when it does."""
    if lookup.result == CheckResult.NOT_FOUND:
        return f"The lookup did not find {what}."
    if lookup.result == CheckResult.EXPIRED:
        found = f" on {lookup.expires_on.isoformat()}" if lookup.expires_on else ""
        return f"The lookup found {what} expired{found}."
    if lookup.expires_on is None:
        return f"The lookup of {what} recorded no expiry date."
    if lookup.expires_on < on:
        return f"{what[0].upper()}{what[1:]} expired on {lookup.expires_on.isoformat()} (today is {on.isoformat()})."
    return None


def _a(role: Role) -> str:
    """The role with its article, as the findings read it ("An OTA", "A PT")."""
    return f"{'An' if role.value[0] in 'OS' else 'A'} {role.value}"


def _nbcot_findings(checks: ApplicantChecks, on: date) -> list[Finding]:
    if checks.role not in NBCOT_ROLES:
        return []
    credential = "OTR" if checks.role == Role.OT else "COTA"
    if not checks.nbcot_number:
        return [
            NBCOT_NOT_CLAIMED.finding(
                f"{_a(checks.role)} needs an NBCOT {credential} certification; no number is recorded."
            )
        ]
    what = f"NBCOT certification {checks.nbcot_number}"
    if checks.nbcot is None:
        return [NBCOT_UNVERIFIED.finding(f"{what} is not verified yet.")]
    problem = _in_force_message(what, checks.nbcot, on)
    return [NBCOT_NOT_IN_FORCE.finding(problem)] if problem else []


def _license_findings(checks: ApplicantChecks, on: date) -> list[Finding]:
    found: list[Finding] = []
    if checks.role in LICENSED_ROLES and not any(
        lic.state == checks.practice_state for lic in checks.licenses
    ):
        found.append(
            LICENSE_FOR_STATE.finding(
                f"{_a(checks.role)} needs a license for {checks.practice_state}, the state of "
                "the posting's clinic; none is claimed."
            )
        )
    for lic in checks.licenses:
        what = f"{lic.state} license {lic.number}"
        if lic.lookup is None:
            found.append(LICENSE_UNVERIFIED.finding(f"The {what} is not looked up yet."))
        elif problem := _in_force_message(f"the {what}", lic.lookup, on):
            found.append(LICENSE_NOT_IN_FORCE.finding(problem))
    return found


def _reference_findings(checks: ApplicantChecks) -> list[Finding]:
    found = [
        REFERENCE_UNFAVOURABLE.finding(f"The reference from {ref.name} was unfavourable.")
        for ref in checks.references
        if ref.result == ReferenceResult.UNFAVOURABLE
    ]
    favourable = sum(ref.result == ReferenceResult.FAVOURABLE for ref in checks.references)
    if favourable < checks.references_required:
        found.append(
            REFERENCES_TOO_FEW.finding(
                f"{checks.references_required} favourable references are needed; "
                f"{favourable} recorded."
            )
        )
    return found
