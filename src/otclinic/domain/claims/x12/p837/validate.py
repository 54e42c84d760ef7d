"""Input checks before writing: every problem found, each naming its field.

The writer refuses rather than repairs: a claim with a bad NPI, 13 diagnoses or a pointer to a
diagnosis that is not there is sent back to the scrubber, never half-written.
"""

import re
from collections.abc import Sequence

from otclinic.domain.claims.x12.p837 import checks
from otclinic.domain.claims.x12.p837.claim import Claim, ServiceLine
from otclinic.domain.claims.x12.p837.codes import ClaimFrequency, Relationship
from otclinic.domain.claims.x12.p837.parties import (
    BillingProvider,
    Clinician,
    ServiceFacility,
    Subscriber,
)
from otclinic.domain.claims.x12.p837.problems import InvalidClaims, Problem
from otclinic.domain.claims.x12.p837.validate_other_payers import other_payer_problems
from otclinic.domain.identifiers import member_id_problem_for

MAX_DIAGNOSES = 12
MAX_POINTERS = 4
MAX_MODIFIERS = 4
MAX_LINES = 50
_ICD10 = re.compile(r"[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?")
_PROCEDURE = re.compile(r"[A-Z0-9]{5}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_PLACE_OF_SERVICE = re.compile(r"\d{2}")
_EIN = re.compile(r"\d{9}")


def validate_claims(claims: Sequence[Claim]) -> None:
    """Raise `InvalidClaims` listing every problem in `claims` (fields named `claims[i]...`)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, claim in enumerate(claims):
        path = f"claims[{index}]"
        problems += claim_problems(claim, path=path, separators=False)
        if claim.patient_control_number in seen:
            problems.append(
                Problem(f"{path}.patient_control_number", "appears twice in the same file")
            )
        seen.add(claim.patient_control_number)
    # One pass over the whole file for separators: shared parties are looked at once.
    problems += checks.delimiters(tuple(claims), field="claims")
    if problems:
        raise InvalidClaims(problems)


def claim_problems(claim: Claim, *, path: str = "claim", separators: bool = True) -> list[Problem]:
    """Every problem in one claim, fields named under `path`; `separators=False` leaves the
    search for X12 separators in its texts to the caller."""
    found = [
        checks.required(
            claim.patient_control_number, field=f"{path}.patient_control_number", max_length=38
        ),
        checks.required(claim.payer.name, field=f"{path}.payer.name", max_length=60),
        checks.required(claim.payer.payer_id, field=f"{path}.payer.payer_id", max_length=80),
        _place_of_service(claim.place_of_service, field=f"{path}.place_of_service"),
        _frequency(claim, field=f"{path}.payer_claim_control_number"),
        _patient_relationship(claim, field=f"{path}.patient.relationship"),
    ]
    problems = [problem for problem in found if problem is not None]
    problems += _billing_provider(claim.billing_provider, path=f"{path}.billing_provider")
    problems += _subscriber(claim.subscriber, path=f"{path}.subscriber")
    problems += _clinicians(claim, path=path)
    problems += _diagnoses(claim.diagnoses, field=f"{path}.diagnoses")
    problems += _lines(claim, path=path)
    problems += other_payer_problems(claim, path=path)
    if separators:
        problems += checks.delimiters(claim, field=path)
    return problems


def _place_of_service(code: str, *, field: str) -> Problem | None:
    if _PLACE_OF_SERVICE.fullmatch(code):
        return None
    return Problem(field, f"{code!r} is not a two-digit place of service code (11 = office)")


def _frequency(claim: Claim, *, field: str) -> Problem | None:
    if not claim.frequency.needs_payer_claim_number:
        if claim.payer_claim_control_number:
            return Problem(field, "only a replacement (7) or a void (8) names the payer's claim")
        return None
    if not claim.payer_claim_control_number.strip():
        kind = "void" if claim.frequency is ClaimFrequency.VOID else "replacement"
        return Problem(
            field,
            f"a {kind} (frequency {claim.frequency}) needs the payer's claim control number "
            "(REF*F8)",
        )
    return checks.required(claim.payer_claim_control_number, field=field, max_length=50)


def _patient_relationship(claim: Claim, *, field: str) -> Problem | None:
    if claim.patient is not None and claim.patient.relationship is Relationship.SELF:
        return Problem(field, "a patient who is the subscriber goes without a patient loop")
    return None


def _billing_provider(provider: BillingProvider, *, path: str) -> list[Problem]:
    found = [
        checks.required(
            provider.organization_name, field=f"{path}.organization_name", max_length=60
        ),
        checks.npi(provider.npi, field=f"{path}.npi"),
        checks.taxonomy(provider.taxonomy, field=f"{path}.taxonomy"),
    ]
    if not _EIN.fullmatch(provider.ein):
        found.append(Problem(f"{path}.ein", f"{provider.ein!r} is not a 9-digit EIN"))
    problems = [problem for problem in found if problem is not None]
    problems += checks.address(provider.address, field=f"{path}.address", zip9=True)
    if provider.pay_to_address is not None:
        problems += checks.address(provider.pay_to_address, field=f"{path}.pay_to_address")
    return problems


def _subscriber(subscriber: Subscriber, *, path: str) -> list[Problem]:
    problems = [
        problem
        for problem in (
            checks.required(subscriber.name.last, field=f"{path}.name.last", max_length=60),
            checks.required(subscriber.name.first, field=f"{path}.name.first", max_length=35),
        )
        if problem is not None
    ]
    # Medicare Part B (SBR09 MB) takes the MBI, in its published form, without dashes.
    plan = "medicare_part_b" if subscriber.filing_indicator == "MB" else ""
    member = member_id_problem_for(subscriber.member_id, plan=plan)
    if member is not None:
        problems.append(Problem(f"{path}.member_id", member))
    return problems + checks.address(subscriber.address, field=f"{path}.address")


def _clinicians(claim: Claim, *, path: str) -> list[Problem]:
    """The rendering provider (required, never an assistant), the referring provider and the
    service facility (when given)."""
    people: list[tuple[str, Clinician]] = [("rendering_provider", claim.rendering_provider)]
    if claim.referring_provider is not None:
        people.append(("referring_provider", claim.referring_provider))
    found: list[Problem | None] = [_rendering_role(claim.rendering_provider, path=path)]
    for role, person in people:
        field = f"{path}.{role}"
        found.append(checks.npi(person.npi, field=f"{field}.npi"))
        found.append(checks.required(person.name.last, field=f"{field}.name.last", max_length=60))
        found.append(checks.taxonomy(person.taxonomy, field=f"{field}.taxonomy"))
    problems = [problem for problem in found if problem is not None]
    if claim.service_facility is not None:
        problems += _facility(claim.service_facility, field=f"{path}.service_facility")
    return problems


def _rendering_role(rendering: Clinician, *, path: str) -> Problem | None:
    if rendering.role is None or rendering.role.is_therapist:
        return None
    return Problem(
        f"{path}.rendering_provider.role",
        f"the rendering provider must be the supervising therapist (OT, PT or SLP), not "
        f"{rendering.role}: assistants do not enroll with Medicare (42 CFR 410.59(c)(1))",
    )


def _facility(facility: ServiceFacility, *, field: str) -> list[Problem]:
    found = [
        checks.required(facility.name, field=f"{field}.name", max_length=60),
        None if facility.npi is None else checks.npi(facility.npi, field=f"{field}.npi"),
    ]
    problems = [problem for problem in found if problem is not None]
    return problems + checks.address(facility.address, field=f"{field}.address")


def _diagnoses(diagnoses: tuple[str, ...], *, field: str) -> list[Problem]:
    if not 1 <= len(diagnoses) <= MAX_DIAGNOSES:
        return [Problem(field, f"{len(diagnoses)} diagnoses; a claim carries 1 to {MAX_DIAGNOSES}")]
    problems = [
        Problem(f"{field}[{index}]", f"{code!r} is not an ICD-10-CM code")
        for index, code in enumerate(diagnoses)
        if not _ICD10.fullmatch(code)
    ]
    compact = [code.replace(".", "") for code in diagnoses]
    if len(set(compact)) != len(compact):
        problems.append(Problem(field, "the same diagnosis is listed twice"))
    return problems


def _lines(claim: Claim, *, path: str) -> list[Problem]:
    if not 1 <= len(claim.lines) <= MAX_LINES:
        return [Problem(f"{path}.lines", f"{len(claim.lines)} lines; a claim has 1 to {MAX_LINES}")]
    problems: list[Problem] = []
    for index, line in enumerate(claim.lines):
        problems += line_problems(
            line, diagnoses=len(claim.diagnoses), path=f"{path}.lines[{index}]"
        )
    return problems


def line_problems(line: ServiceLine, *, diagnoses: int, path: str) -> list[Problem]:
    """A service line: code, modifiers, charge, units, pointers and line control number."""
    found: list[Problem | None] = [
        checks.money(line.charge, field=f"{path}.charge"),
        None
        if _PROCEDURE.fullmatch(line.procedure_code)
        else Problem(f"{path}.procedure_code", f"{line.procedure_code!r} is not a CPT/HCPCS code"),
        None
        if 1 <= line.units <= 9999
        else Problem(f"{path}.units", f"{line.units} units; a line bills 1 to 9999"),
        None
        if len(line.line_item_control_number) <= 50
        else Problem(f"{path}.line_item_control_number", "is longer than 50 characters"),
    ]
    found += _modifiers(line.modifiers, field=f"{path}.modifiers")
    found += _pointers(
        line.diagnosis_pointers, diagnoses=diagnoses, field=f"{path}.diagnosis_pointers"
    )
    return [problem for problem in found if problem is not None]


def _modifiers(modifiers: tuple[str, ...], *, field: str) -> list[Problem]:
    if len(modifiers) > MAX_MODIFIERS:
        return [
            Problem(field, f"{len(modifiers)} modifiers; a line carries at most {MAX_MODIFIERS}")
        ]
    problems = [
        Problem(f"{field}[{index}]", f"{modifier!r} is not a two-character modifier")
        for index, modifier in enumerate(modifiers)
        if not _MODIFIER.fullmatch(modifier)
    ]
    if len(set(modifiers)) != len(modifiers):
        problems.append(Problem(field, "the same modifier is listed twice"))
    return problems


def _pointers(pointers: tuple[int, ...], *, diagnoses: int, field: str) -> list[Problem]:
    if not 1 <= len(pointers) <= MAX_POINTERS:
        return [Problem(field, f"{len(pointers)} pointers; a line carries 1 to {MAX_POINTERS}")]
    problems = [
        Problem(
            f"{field}[{index}]",
            f"points to diagnosis {pointer}, but the claim has {diagnoses} (pointers are 1-based)",
        )
        for index, pointer in enumerate(pointers)
        if not 1 <= pointer <= diagnoses
    ]
    if len(set(pointers)) != len(pointers):
        problems.append(Problem(field, "the same diagnosis is pointed to twice"))
    return problems
