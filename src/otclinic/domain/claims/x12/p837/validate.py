"""Input checks before writing: every problem found, each naming its field.

The writer refuses rather than repairs: a claim with a bad NPI, 13 diagnoses or a pointer to a
diagnosis that is not there is sent back to the scrubber, never half-written.
"""

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

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
    """Raise `InvalidClaims` listing every problem in `claims` (fields named `claims[i]...`).

    A party many claims share (the practice, a clinician, a subscriber, as one object) is
    checked once while it is found clean; one with problems is named under every claim."""
    problems: list[Problem] = []
    seen: set[str] = set()
    clean: set[int] = set()
    for index, claim in enumerate(claims):
        path = f"claims[{index}]"
        problems += claim_problems(claim, path=path, separators=False, clean=clean)
        if claim.patient_control_number in seen:
            problems.append(
                Problem(f"{path}.patient_control_number", "appears twice in the same file")
            )
        seen.add(claim.patient_control_number)
    # One pass over the whole file for separators: shared parties are looked at once.
    problems += checks.delimiters(tuple(claims), field="claims")
    if problems:
        raise InvalidClaims(problems)


def claim_problems(
    claim: Claim, *, path: str = "claim", separators: bool = True, clean: set[int] | None = None
) -> list[Problem]:
    """Every problem in one claim, fields named under `path`; `separators=False` leaves the
    search for X12 separators in its texts to the caller. `clean`: the ids of the parties
    already found clean in the same file (alive as long as the claims), not checked again."""
    known = set() if clean is None else clean
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
    problems += _once(_billing_provider, claim.billing_provider, f"{path}.billing_provider", known)
    problems += _once(_subscriber, claim.subscriber, f"{path}.subscriber", known)
    problems += _clinicians(claim, path=path, clean=known)
    problems += _diagnoses(claim.diagnoses, field=f"{path}.diagnoses")
    problems += _lines(claim, path=path)
    problems += other_payer_problems(claim, path=path)
    if separators:
        problems += checks.delimiters(claim, field=path)
    return problems


def _once(
    check: Callable[..., list[Problem]], party: object, path: str, clean: set[int]
) -> list[Problem]:
    """`check(party, path=path)`, skipped for a party in `clean`; a clean party joins it."""
    if id(party) in clean:
        return []
    problems = check(party, path=path)
    if not problems:
        clean.add(id(party))
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


def _clinicians(claim: Claim, *, path: str, clean: set[int]) -> list[Problem]:
    """The rendering provider (required, never an assistant), the referring provider and the
    service facility (when given)."""
    rendering = f"{path}.rendering_provider"
    problems = _once(_rendering, claim.rendering_provider, rendering, clean)
    if claim.referring_provider is not None:
        referring = f"{path}.referring_provider"
        problems += _once(_clinician, claim.referring_provider, referring, clean)
    if claim.service_facility is not None:
        facility = f"{path}.service_facility"
        problems += _once(_facility, claim.service_facility, facility, clean)
    return problems


def _rendering(person: Clinician, *, path: str) -> list[Problem]:
    return _rendering_role(person, field=f"{path}.role") + _clinician(person, path=path)


def _clinician(person: Clinician, *, path: str) -> list[Problem]:
    found = [
        checks.npi(person.npi, field=f"{path}.npi"),
        checks.required(person.name.last, field=f"{path}.name.last", max_length=60),
        checks.taxonomy(person.taxonomy, field=f"{path}.taxonomy"),
    ]
    return [problem for problem in found if problem is not None]


def _rendering_role(rendering: Clinician, *, field: str) -> list[Problem]:
    if rendering.role is None or rendering.role.is_therapist:
        return []
    return [
        Problem(
            field,
            f"the rendering provider must be the supervising therapist (OT, PT or SLP), not "
            f"{rendering.role}: assistants do not enroll with Medicare (42 CFR 410.59(c)(1))",
        )
    ]


def _facility(facility: ServiceFacility, *, path: str) -> list[Problem]:
    found = [
        checks.required(facility.name, field=f"{path}.name", max_length=60),
        None if facility.npi is None else checks.npi(facility.npi, field=f"{path}.npi"),
    ]
    problems = [problem for problem in found if problem is not None]
    return problems + checks.address(facility.address, field=f"{path}.address")


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
    diagnoses = len(claim.diagnoses)
    for index, line in enumerate(claim.lines):
        if not _line_is_clean(line, diagnoses=diagnoses):
            problems += line_problems(line, diagnoses=diagnoses, path=f"{path}.lines[{index}]")
    return problems


def _line_is_clean(line: ServiceLine, *, diagnoses: int) -> bool:
    """Whether `line_problems` finds nothing, by the same checks without naming fields; the
    checks of codes, modifiers and pointers remembered for the few values a file repeats."""
    return (
        checks.money(line.charge, field="") is None
        and 1 <= line.units <= 9999
        and len(line.line_item_control_number) <= 50
        and _procedure_is_clean(line.procedure_code)
        and _modifiers_are_clean(line.modifiers)
        and _pointers_are_clean(line.diagnosis_pointers, diagnoses)
    )


@lru_cache(maxsize=1024)
def _procedure_is_clean(code: str) -> bool:
    return _PROCEDURE.fullmatch(code) is not None


@lru_cache(maxsize=1024)
def _modifiers_are_clean(modifiers: tuple[str, ...]) -> bool:
    return not _modifiers(modifiers, field="")


@lru_cache(maxsize=1024)
def _pointers_are_clean(pointers: tuple[int, ...], diagnoses: int) -> bool:
    return not _pointers(pointers, diagnoses=diagnoses, field="")


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
