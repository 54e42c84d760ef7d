"""Rules about which codes may be billed at all: Medicare code rules, caregiver training, scope.

Medicare: 97014 is not valid (G0283 instead) and 97010 is bundled, never on the claim
(billing-rules.md sec. 7). Caregiver training without the patient (97550-97552, since 2024):
the patient is absent and, for Medicare, the patient's consent is documented. Scope: an assistant
may not furnish evaluations or re-evaluations (BPM ch. 15 sec. 230.2), and one evaluation or
re-evaluation per discipline per day (billing-rules.md sec. 8).
"""

from datetime import date

from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.services import CodeService
from otclinic.domain.compliance.findings import Finding, Rule, Severity

MEDICARE_INVALID = Rule(
    rule_id="medicare.code_invalid",
    severity=Severity.ERROR,
    citation="Medicare Physician Fee Schedule: 97014 not valid for Medicare, G0283 instead "
    "(billing-rules.md sec. 7)",
    summary="A code Medicare does not accept is left off the claim.",
)
MEDICARE_BUNDLED = Rule(
    rule_id="medicare.code_bundled",
    severity=Severity.INFO,
    citation="Medicare Physician Fee Schedule: 97010 bundled, never paid separately "
    "(billing-rules.md sec. 7)",
    summary="A bundled code is left off the claim.",
)
CODE_NOT_YET_VALID = Rule(
    rule_id="codes.not_in_force",
    severity=Severity.ERROR,
    citation="CY2024 PFS final rule (97550-97552 from 2024-01-01); rules/billing_codes.yaml",
    summary="A code billed before it existed is left off the claim.",
)
CAREGIVER_PATIENT_PRESENT = Rule(
    rule_id="caregiver.patient_present",
    severity=Severity.ERROR,
    citation="CY2024 PFS final rule (caregiver training without the patient present)",
    summary="97550-97552 are for caregiver training without the patient present.",
    effective_from=date(2024, 1, 1),
)
CAREGIVER_CONSENT = Rule(
    rule_id="caregiver.consent",
    severity=Severity.ERROR,
    citation="CY2024 PFS final rule (patient consent for caregiver training documented)",
    summary="Medicare needs the patient's documented consent for caregiver training.",
    effective_from=date(2024, 1, 1),
)
ASSISTANT_EVALUATION = Rule(
    rule_id="scope.assistant_evaluation",
    severity=Severity.ERROR,
    citation="BPM Pub. 100-02 ch. 15 sec. 230.2 (assistants may not evaluate or re-evaluate)",
    summary="An assistant may not furnish an evaluation or re-evaluation.",
)
ONE_EVALUATION = Rule(
    rule_id="scope.one_evaluation_per_day",
    severity=Severity.ERROR,
    citation="NCCI Policy Manual ch. XI; billing-rules.md sec. 8 (one evaluation or "
    "re-evaluation per discipline per day)",
    summary="Only one evaluation or re-evaluation code per discipline per day.",
)
WRONG_DISCIPLINE = Rule(
    rule_id="scope.evaluation_discipline",
    severity=Severity.ERROR,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20 (each discipline billed under its own plan of care)",
    summary="An evaluation code of another discipline cannot be billed under this one.",
)


def screen_codes(
    ctx: VisitContext, merged: list[CodeService], findings: list[Finding]
) -> list[CodeService]:
    """The services that may go on the claim; the others are reported and left off."""
    kept = []
    for service in merged:
        if service.info.effective_from is None and service.info.medicare is None:
            kept.append(service)  # the usual case, checked first to keep checks fast
            continue
        reason = _left_off(ctx, service)
        if reason is None:
            kept.append(service)
        else:
            findings.append(reason)
    return kept


def _left_off(ctx: VisitContext, service: CodeService) -> Finding | None:
    info = service.info
    if info.effective_from and ctx.day < info.effective_from:
        return CODE_NOT_YET_VALID.finding(
            f"{service.code} exists from {info.effective_from.isoformat()}, after this date of "
            f"service ({ctx.day.isoformat()}), so it is left off the claim"
        )
    if ctx.is_medicare and info.medicare == "invalid":
        return MEDICARE_INVALID.finding(
            f"{service.code} is not valid for Medicare; bill {info.replacement} instead"
        )
    if ctx.is_medicare and info.medicare == "bundled":
        return MEDICARE_BUNDLED.finding(
            f"{service.code} ({service.minutes} min) is bundled into the other services: Medicare "
            "never pays it separately, so it is left off the claim (its minutes still count as "
            "treatment minutes)"
        )
    return None


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
    if service.info.discipline and service.info.discipline != ctx.visit.discipline:
        problems.append(
            WRONG_DISCIPLINE.finding(
                f"{service.code} is a {service.info.discipline} evaluation code but this "
                f"visit is billed under {ctx.visit.discipline}"
            )
        )
    return problems
