"""Rules about which codes may be billed at all: the code table, add-ons, Medicare, scope.

- A code in no code table is not billed: the check names it and says how to add it.
- A code billed outside the dates it exists is not billed, with what replaced it.
- An add-on code is billed only with its primary code on the same date (CPT add-on convention;
  NCCI Policy Manual ch. I sec. D).
- Medicare: 97014 is not valid (G0283 instead) and 97010 is bundled, never on the claim
  (Medicare Physician Fee Schedule status indicators I and B).
- Caregiver training without the patient (97550-97552, since 2024): the patient is absent and,
  for Medicare, the patient's consent is documented.
- Scope: an assistant may not furnish evaluations or re-evaluations (BPM ch. 15 sec. 230.2); one
  evaluation or re-evaluation per discipline per day; a code of another discipline is an error
  where the code names its discipline, and a warning where scope varies by state.
"""

from datetime import date

from otclinic.domain.billing.codebook import CodeInfo
from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.services import CodeService
from otclinic.domain.compliance.findings import Finding, Rule, Severity

UNKNOWN_CODE = Rule(
    rule_id="codes.unknown",
    severity=Severity.ERROR,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20 (therapy services are reported with the CPT/HCPCS "
    "codes of CMS's therapy code list); rules/billing_codes.yaml",
    summary="A code in no code table is not billed.",
    applies_to=frozenset({"unknown"}),
)
CODE_NOT_YET_VALID = Rule(
    rule_id="codes.not_in_force",
    severity=Severity.ERROR,
    citation="CPT and HCPCS code sets (each code's first and last dates of service); "
    "rules/billing_codes.yaml",
    summary="A code billed before it existed or after it was deleted is left off the claim.",
    applies_to=frozenset({"dated"}),
)
ADDON_WITHOUT_PRIMARY = Rule(
    rule_id="codes.addon_without_primary",
    severity=Severity.ERROR,
    citation="CPT add-on code convention; NCCI Policy Manual ch. I sec. D (an add-on code is "
    "reported only with its primary procedure on the same date)",
    summary="An add-on code without its primary code on the same date.",
    applies_to=frozenset({"addon"}),
)
UNLISTED_CODE = Rule(
    rule_id="codes.unlisted",
    severity=Severity.WARNING,
    citation="CPT unlisted procedure codes (priced by report); MCPM Pub. 100-04 ch. 12 sec. 20.4",
    summary="An unlisted-procedure code is priced by report: describe the service.",
    applies_to=frozenset({"unlisted"}),
)
MEDICARE_INVALID = Rule(
    rule_id="medicare.code_invalid",
    severity=Severity.ERROR,
    citation="Medicare Physician Fee Schedule status indicator I (not valid for Medicare "
    "purposes): 97014 (G0283 instead), athletic training evaluations 97169-97172",
    summary="A code Medicare does not accept is left off the claim.",
    applies_to=frozenset({"medicare_invalid"}),
)
MEDICARE_BUNDLED = Rule(
    rule_id="medicare.code_bundled",
    severity=Severity.INFO,
    citation="Medicare Physician Fee Schedule status indicator B (bundled): 97010 is never paid "
    "separately",
    summary="A bundled code is left off the claim.",
    applies_to=frozenset({"medicare_bundled"}),
)
CAREGIVER_PATIENT_PRESENT = Rule(
    rule_id="caregiver.patient_present",
    severity=Severity.ERROR,
    citation="CY2024 PFS final rule, 88 FR 78818 (caregiver training without the patient present)",
    summary="97550-97552 are for caregiver training without the patient present.",
    effective_from=date(2024, 1, 1),
    applies_to=frozenset({"caregiver"}),
)
CAREGIVER_CONSENT = Rule(
    rule_id="caregiver.consent",
    severity=Severity.ERROR,
    citation="CY2024 PFS final rule, 88 FR 78818 (the patient's consent to caregiver training "
    "is documented)",
    summary="Medicare needs the patient's documented consent for caregiver training.",
    effective_from=date(2024, 1, 1),
    applies_to=frozenset({"caregiver"}),
)
ASSISTANT_EVALUATION = Rule(
    rule_id="scope.assistant_evaluation",
    severity=Severity.ERROR,
    citation="BPM Pub. 100-02 ch. 15 sec. 230.2 (assistants may not evaluate or re-evaluate)",
    summary="An assistant may not furnish an evaluation or re-evaluation.",
    applies_to=frozenset({"evaluation"}),
)
ONE_EVALUATION = Rule(
    rule_id="scope.one_evaluation_per_day",
    severity=Severity.ERROR,
    citation="NCCI Policy Manual ch. XI (one evaluation or re-evaluation per discipline per "
    "day); the evaluation codes' MUE of 1",
    summary="Only one evaluation or re-evaluation code per discipline per day.",
    applies_to=frozenset({"evaluation"}),
)
WRONG_DISCIPLINE = Rule(
    rule_id="scope.evaluation_discipline",
    severity=Severity.ERROR,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20 (each discipline billed under its own plan of "
    "care); CY2017 PFS final rule, 81 FR 80170 (evaluation codes by discipline)",
    summary="An evaluation code of another discipline cannot be billed under this one.",
    applies_to=frozenset({"evaluation"}),
)
OTHER_DISCIPLINE = Rule(
    rule_id="scope.discipline",
    severity=Severity.WARNING,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20 (each discipline billed under its own plan of "
    "care); scope of practice set by each state's practice act",
    summary="A code usually billed by another discipline: check the state's scope and payer.",
    applies_to=frozenset({"discipline_limited"}),
)


def screen_codes(
    ctx: VisitContext, merged: list[CodeService], findings: list[Finding]
) -> list[CodeService]:
    """The services that may go on the claim; the others are reported and left off."""
    billed_codes = {s.code for s in merged if s.minutes > 0}
    kept = []
    for service in merged:
        reason = _left_off(ctx, service, billed_codes)
        if reason is None:
            kept.append(service)
        else:
            findings.append(reason)
    return kept


def _left_off(ctx: VisitContext, service: CodeService, billed: set[str]) -> Finding | None:
    info = service.info
    if not info.known:
        return _unknown(ctx, service)
    if not info.in_force_on(ctx.day):
        return _not_in_force(ctx, info)
    if ctx.is_medicare and info.medicare == "invalid":
        instead = f"; bill {info.replacement} instead" if info.replacement else ""
        return MEDICARE_INVALID.finding(f"{service.code} is not valid for Medicare{instead}")
    if ctx.is_medicare and info.medicare == "bundled":
        return MEDICARE_BUNDLED.finding(
            f"{service.code} ({service.minutes} min) is bundled into the other services: Medicare "
            "never pays it separately, so it is left off the claim (its minutes still count as "
            "treatment minutes)"
        )
    if info.addon_to and service.minutes > 0 and not billed.intersection(info.addon_to):
        return _addon_alone(ctx, info)
    return None


def _unknown(ctx: VisitContext, service: CodeService) -> Finding:
    table = f" ({ctx.book.code_list})" if ctx.book.code_list else ""
    return UNKNOWN_CODE.finding(
        f"{service.code} is not in otclinic's code table{table} nor in the clinic's own, so it "
        "is not billed (its minutes still count as treatment minutes). If it is a code the "
        "clinic bills, add it to the clinic's code table (the Billing codes page; on the command "
        "line, `--codes FILE`) saying whether it is timed; a code every clinic bills belongs in "
        "rules/billing_codes.yaml"
    )


def _not_in_force(ctx: VisitContext, info: CodeInfo) -> Finding:
    if info.effective_from and ctx.day < info.effective_from:
        return CODE_NOT_YET_VALID.finding(
            f"{info.code} exists from {info.effective_from.isoformat()}, after this date of "
            f"service ({ctx.day.isoformat()}), so it is left off the claim"
        )
    instead = f"; bill {info.replacement} instead" if info.replacement else ""
    last = info.effective_to.isoformat() if info.effective_to else ""
    return CODE_NOT_YET_VALID.finding(
        f"{info.code} was deleted after {last}, before this date of service "
        f"({ctx.day.isoformat()}), so it is left off the claim{instead}"
    )


def _addon_alone(ctx: VisitContext, info: CodeInfo) -> Finding:
    primaries = " or ".join(info.addon_to)
    if info.family:
        base, _ = ctx.book.family(info.family)
        how = (
            f"enter all the minutes under {base}: the check bills {base} for the first part and "
            f"{info.code} for the rest"
        )
    else:
        how = f"bill {primaries} with it, or take it off"
    return ADDON_WITHOUT_PRIMARY.finding(
        f"{info.code} is an add-on code: it is billed only with {primaries} on the same date, "
        f"and the visit has no {primaries}; {how}"
    )


def check_codes(ctx: VisitContext, merged: list[CodeService], findings: list[Finding]) -> None:
    """Codes of another discipline, and unlisted codes (they stay on the claim)."""
    discipline = ctx.visit.discipline
    for service in merged:
        info = service.info
        if service.minutes == 0 or not info.known:
            continue
        if discipline not in info.disciplines and not info.is_evaluation:
            findings.append(_discipline_finding(ctx, info))
        if info.unlisted:
            findings.append(
                UNLISTED_CODE.finding(
                    f"{info.code} is an unlisted-procedure code: the payer prices it by report, "
                    "so describe the service on the claim and keep the record ready for review"
                )
            )


def _discipline_finding(ctx: VisitContext, info: CodeInfo) -> Finding:
    who = " or ".join(sorted(info.disciplines)) or "none of OT, PT and SLP"
    discipline = ctx.visit.discipline
    if info.discipline_limit == "firm":
        return OTHER_DISCIPLINE.finding(
            f"{info.code} ({info.summary}) is billed by {who}, not under a {discipline} plan "
            "of care",
            severity=Severity.ERROR,
        )
    return OTHER_DISCIPLINE.finding(
        f"{info.code} ({info.summary}) is usually billed by {who}; under a {discipline} plan of "
        "care bill it only where the state's practice act and the payer allow it"
    )


def check_caregiver(ctx: VisitContext, merged: list[CodeService], findings: list[Finding]) -> None:
    """Caregiver training codes: patient absent, and for Medicare the patient's consent."""
    codes = [s.code for s in merged if s.info.group == "caregiver" and s.minutes > 0]
    if not codes or not CAREGIVER_PATIENT_PRESENT.in_force_on(ctx.day):
        return
    listed = ", ".join(codes)
    if ctx.visit.patient_present:
        findings.append(
            CAREGIVER_PATIENT_PRESENT.finding(
                f"{listed}: caregiver training codes are for training without the patient, but "
                "patient_present is true; bill the patient's own treatment codes instead"
            )
        )
    if ctx.is_medicare and not ctx.visit.caregiver_consent:
        findings.append(
            CAREGIVER_CONSENT.finding(
                f"{listed}: the patient's consent to caregiver training is not documented "
                "(caregiver_consent is false)"
            )
        )


def check_scope(ctx: VisitContext, merged: list[CodeService], findings: list[Finding]) -> None:
    """Evaluations: therapist only, one per discipline per day, in the visit's discipline."""
    evaluations = [s for s in merged if s.info.is_evaluation and s.minutes > 0]
    for service in evaluations:
        findings.extend(_evaluation_problems(ctx, service))
    if len(evaluations) > 1:
        listed = ", ".join(s.code for s in evaluations)
        findings.append(
            ONE_EVALUATION.finding(
                f"{len(evaluations)} evaluation or re-evaluation codes ({listed}) on one day in "
                f"{ctx.visit.discipline}; only one may be billed"
            )
        )


def _evaluation_problems(ctx: VisitContext, service: CodeService) -> list[Finding]:
    problems = []
    if service.assistant > 0:
        problems.append(
            ASSISTANT_EVALUATION.finding(
                f"{service.code} has {service.assistant} min by the {ctx.assistant} alone; "
                f"only the {ctx.therapist} may evaluate or re-evaluate"
            )
        )
    info = service.info
    if ctx.visit.discipline not in info.disciplines:
        who = " or ".join(sorted(info.disciplines)) or "athletic trainers"
        kind = "an evaluation" if info.group == "evaluation" else "a re-evaluation"
        problems.append(
            WRONG_DISCIPLINE.finding(
                f"{service.code} is {kind} code of {who} but this visit is billed under "
                f"{ctx.visit.discipline}",
                severity=Severity.ERROR if info.discipline_limit == "firm" else Severity.WARNING,
            )
        )
    return problems
