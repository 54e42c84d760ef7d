"""What each role may do: the permission table, as data.

The clinical limits follow BPM ch. 15 sec. 230.2 (an assistant may not evaluate, establish or
change the plan, or write progress reports or the discharge note); the back-office limits are
otclinic's own least-privilege defaults.
"""

from enum import StrEnum

from otclinic.domain.codes import Role


class Capability(StrEnum):
    VIEW_CHART = "view_chart"
    EDIT_DEMOGRAPHICS = "edit_demographics"
    EDIT_DIAGNOSES = "edit_diagnoses"
    EDIT_COVERAGE = "edit_coverage"
    INTAKE_REFERRAL = "intake_referral"
    EVALUATE = "evaluate"
    PLAN_OF_CARE = "plan_of_care"
    WRITE_TREATMENT_NOTE = "write_treatment_note"
    COSIGN = "cosign"
    SUPERVISE_ASSISTANTS = "supervise_assistants"
    PROGRESS_REPORT = "progress_report"
    DISCHARGE = "discharge"
    VIEW_BILLING = "view_billing"
    MANAGE_BILLING = "manage_billing"
    # Take a patient's copay, coinsurance or self-pay payment at the desk, refund a credit.
    TAKE_PAYMENT = "take_payment"
    SCHEDULE = "schedule"
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    USE_API = "use_api"
    PORTAL = "portal"
    # Track the physician's certification of a plan: record reminders sent and refusals.
    FOLLOW_UP_CERTIFICATION = "follow_up_certification"
    # Invite patients and caregivers to the portal, record and revoke their sharing consent.
    MANAGE_PORTAL = "manage_portal"
    # The practice's reports (end of day, productivity, notes, attendance, plan-of-care
    # compliance): the owner (clinic admin) and the lead therapists (OTs, who supervise).
    VIEW_REPORTS = "view_reports"


_C = Capability
_THERAPIST = {
    _C.VIEW_CHART,
    _C.EDIT_DIAGNOSES,
    _C.EVALUATE,
    _C.PLAN_OF_CARE,
    _C.WRITE_TREATMENT_NOTE,
    _C.COSIGN,
    _C.PROGRESS_REPORT,
    _C.DISCHARGE,
    _C.SCHEDULE,
    _C.USE_API,
    _C.MANAGE_PORTAL,
    _C.FOLLOW_UP_CERTIFICATION,
}
_ASSISTANT = {_C.VIEW_CHART, _C.WRITE_TREATMENT_NOTE, _C.SCHEDULE, _C.USE_API}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # Only an OT supervises an OTA (supervision.md); PTs and SLPs co-sign their own assistants.
    Role.OT: frozenset(_THERAPIST | {_C.SUPERVISE_ASSISTANTS, _C.VIEW_REPORTS}),
    Role.PT: frozenset(_THERAPIST),
    Role.SLP: frozenset(_THERAPIST),
    Role.OTA: frozenset(_ASSISTANT),
    Role.PTA: frozenset(_ASSISTANT),
    Role.STUDENT: frozenset({_C.VIEW_CHART, _C.WRITE_TREATMENT_NOTE}),
    Role.BILLER: frozenset(
        {
            _C.VIEW_CHART,
            _C.EDIT_COVERAGE,
            _C.VIEW_BILLING,
            _C.MANAGE_BILLING,
            _C.TAKE_PAYMENT,
            _C.USE_API,
        }
    ),
    Role.FRONT_DESK: frozenset(
        {
            _C.VIEW_CHART,
            _C.EDIT_DEMOGRAPHICS,
            _C.EDIT_DIAGNOSES,
            _C.EDIT_COVERAGE,
            _C.INTAKE_REFERRAL,
            _C.SCHEDULE,
            _C.TAKE_PAYMENT,
            _C.USE_API,
            _C.MANAGE_PORTAL,
            _C.FOLLOW_UP_CERTIFICATION,
        }
    ),
    Role.CLINIC_ADMIN: frozenset(
        {
            _C.VIEW_CHART,
            _C.EDIT_DEMOGRAPHICS,
            _C.EDIT_DIAGNOSES,
            _C.EDIT_COVERAGE,
            _C.INTAKE_REFERRAL,
            _C.VIEW_BILLING,
            _C.MANAGE_BILLING,
            _C.TAKE_PAYMENT,
            _C.SCHEDULE,
            _C.MANAGE_STAFF,
            _C.VIEW_AUDIT,
            _C.USE_API,
            _C.MANAGE_PORTAL,
            _C.FOLLOW_UP_CERTIFICATION,
            _C.VIEW_REPORTS,
        }
    ),
    Role.PATIENT: frozenset({_C.PORTAL}),
    Role.CAREGIVER: frozenset({_C.PORTAL}),
}


def role_may(role: Role | None, capability: Capability) -> bool:
    """Whether a role has a capability; no role has none."""
    return role is not None and capability in ROLE_CAPABILITIES[role]
