"""Two supervision checks beside the due list: one OTA visit, and who may supervise an OTA.

A visit: where the strictest applicable pack asks for direct supervision (Medicare private
practice until 2024-12-31, TRICARE private practice), the OT must be in the office suite while
the OTA treats (42 CFR 410.59(c)(2); TRICARE Policy Manual 6010.60-M ch. 11 sec. 3.17).

A supervisor: an OT (OTR, not an assistant) whose license is in force in each state the OTA
works in, with an NBCOT certification that has not lapsed (the states' OT practice rules;
42 CFR 484.115(f)). Both only report.
"""

from dataclasses import dataclass
from datetime import date

from otclinic.domain.codes import Role
from otclinic.domain.compliance.credentials import Credentials, credential_findings
from otclinic.domain.compliance.findings import Finding, Severity
from otclinic.domain.compliance.supervision_contacts import REFERENCE, SupervisionFinding
from otclinic.domain.compliance.supervision_packs import (
    CHECK_NOTE,
    Level,
    SupervisionPack,
    WorkContext,
    default_packs,
)


@dataclass(frozen=True, slots=True)
class VisitFacts:
    """One OTA visit: when, where, for which payer, and whether the OT was in the suite."""

    date_of_service: date
    context: WorkContext
    supervisor_in_suite: bool


def visit_supervision(
    visit: VisitFacts, *, packs: tuple[SupervisionPack, ...] | None = None
) -> SupervisionFinding:
    """Whether the OT's presence met the strictest applicable level on the day of the visit."""
    day = visit.date_of_service
    applying = [
        p for p in (default_packs() if packs is None else packs) if p.applies_to(visit.context, day)
    ]
    tiers = [(p, p.tier_for(practice_months=None, setting_months=None)) for p in applying]
    if not tiers:
        return SupervisionFinding(
            "supervision.visit.none",
            Severity.INFO,
            f"No supervision pack applies to this visit on {day}: compliant.",
            REFERENCE,
        )
    pack, tier = max(tiers, key=lambda pt: pt[1].level.rank)
    check = pack.is_check(tier)
    tail = CHECK_NOTE if check else ""
    if tier.level is Level.DIRECT and not visit.supervisor_in_suite:
        text = (
            f"Non-compliant on {day}: {pack.label} requires direct supervision (the OT in the "
            f"office suite while the OTA treats), and the OT was not in the suite.{tail}"
        )
        return SupervisionFinding(pack.rule_id, Severity.ERROR, text, pack.citation, day, check)
    where = "in" if visit.supervisor_in_suite else "not in"
    text = (
        f"Compliant on {day}: the strictest level is {tier.level.label} ({pack.label}); "
        f"the OT was {where} the suite.{tail}"
    )
    return SupervisionFinding(pack.rule_id, Severity.INFO, text, pack.citation, day, check)


SUPERVISOR_ROLE = "supervision.supervisor.role"
SUPERVISOR_NBCOT = "supervision.supervisor.nbcot"
SUPERVISOR_CITATION = (
    "42 CFR 410.59(c)(2) and the states' OT practice rules: an OTA is supervised by an OT "
    "licensed in the state of practice"
)


def supervisor_problems(
    *,
    credentials: Credentials,
    nbcot_credential: str,
    ota_states: frozenset[str],
    on: date,
) -> list[Finding]:
    """Why this person may not supervise an OTA working in `ota_states` on `on` (empty: may)."""
    if credentials.role is not Role.OT:
        text = (
            f"The supervisor of an OTA must be an occupational therapist; this person's role is "
            f"{credentials.role.label.lower()}."
        )
        return [Finding(SUPERVISOR_ROLE, Severity.ERROR, text, SUPERVISOR_CITATION)]
    problems = []
    if nbcot_credential and nbcot_credential != "OTR":
        text = f"The supervisor's NBCOT credential is {nbcot_credential}; an OTR is required."
        problems.append(Finding(SUPERVISOR_NBCOT, Severity.ERROR, text, SUPERVISOR_CITATION))
    for state in sorted(ota_states):
        problems += credential_findings(credentials, state=state, first_day=on)
    # The NBCOT finding does not depend on the state: report it once.
    unique = {(f.rule_id, f.message): f for f in problems}
    return list(unique.values())
