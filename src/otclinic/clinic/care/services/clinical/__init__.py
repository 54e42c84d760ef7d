"""Writes to the therapist's documents: referral intake, evaluation, plan of care, certification.

Each function is one transaction, keyword-only, role-checked, and audit-logged by the trail
(every saved row is recorded). Only the episode's therapist discipline may evaluate and plan
(BPM ch. 15 sec. 230.2: an assistant may not). Progress reports, discharge and the home program
are in `clinical_reports`.

Callers import this package (`from otclinic.clinic.care.services import clinical`); the modules
behind it follow the episode: `intake`, `evaluation`, `plan`, `certification` (with `certification_requests`, the
requests sent to the physician, and `certification_reminders`, the scheduled reminders), and `common`
(who may write, signing) which `clinical_reports` shares.
"""

from otclinic.clinic.care.services.clinical.certification import (
    certification_record,
    plan_recertify,
)
from otclinic.clinic.care.services.clinical.certification_requests import (
    certification_reminder_record,
    certification_request_refuse,
    certification_request_send,
)
from otclinic.clinic.care.services.clinical.common import (
    AlreadySigned,
    content_hash,
    require_therapist,
    sign,
    staff_of,
)
from otclinic.clinic.care.services.clinical.evaluation import (
    ScoreInput,
    evaluation_create,
    evaluation_sign,
)
from otclinic.clinic.care.services.clinical.intake import episode_open, referral_intake
from otclinic.clinic.care.services.clinical.plan import (
    goal_add,
    intervention_add,
    plan_content,
    plan_create,
    plan_sign,
)

__all__ = [
    "AlreadySigned",
    "ScoreInput",
    "certification_record",
    "certification_reminder_record",
    "certification_request_refuse",
    "certification_request_send",
    "content_hash",
    "episode_open",
    "evaluation_create",
    "evaluation_sign",
    "goal_add",
    "intervention_add",
    "plan_content",
    "plan_create",
    "plan_recertify",
    "plan_sign",
    "referral_intake",
    "require_therapist",
    "sign",
    "staff_of",
]
