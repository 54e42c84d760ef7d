"""Which discipline each clinician role practises, and who may take over a clinician's work.

An assistant works under a therapist of the same discipline (BPM ch. 15 sec. 230.2); only a
therapist may hold an episode (evaluate, plan, write progress reports); only an OT supervises
an OTA (supervision.md). Students carry no caseload of their own.
"""

from otclinic.domain.codes import Discipline, Role

ROLE_DISCIPLINE: dict[Role, Discipline] = {
    Role.OT: Discipline.OT,
    Role.OTA: Discipline.OT,
    Role.PT: Discipline.PT,
    Role.PTA: Discipline.PT,
    Role.SLP: Discipline.SLP,
}


def discipline_of(role: Role | None) -> Discipline | None:
    """The discipline a role practises (None for students, the back office and the portal)."""
    return ROLE_DISCIPLINE.get(role) if role is not None else None


def roles_of(discipline: Discipline) -> tuple[Role, ...]:
    """The roles that practise a discipline, therapist first."""
    return tuple(role for role, practised in ROLE_DISCIPLINE.items() if practised == discipline)


def takeover_problems(
    *, leaving: Role, taking_over: Role, has_episodes: bool, supervises: bool
) -> list[str]:
    """Why a clinician of role `taking_over` may not take over the caseload of one of role
    `leaving` (empty: they may, subject to each item's own checks)."""
    problems = []
    wanted = discipline_of(leaving)
    if wanted is None:
        return [f"A {leaving.label.lower()} has no caseload to hand over."]
    if discipline_of(taking_over) != wanted:
        problems.append(
            f"The caseload is {wanted.value}: choose someone who practises {wanted.value} "
            f"(not a {taking_over.label.lower()})."
        )
    elif has_episodes and taking_over not in (Role.OT, Role.PT, Role.SLP):
        problems.append(
            "Episodes need a therapist (an assistant may not hold the plan of care, BPM ch. 15 "
            "sec. 230.2)."
        )
    if supervises and taking_over != Role.OT:
        problems.append("Only an OT may supervise the OTAs this clinician supervises.")
    return problems
