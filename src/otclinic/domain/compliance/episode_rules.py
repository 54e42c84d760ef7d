"""The episode check's rules: stable ids, default severities and where each comes from.

Sources: BPM = Medicare Benefit Policy Manual, Pub. 100-02,
ch. 15; sec. 220.1.2 (plans of care), 220.1.3 (certification and recertification), 220.3
(progress reports), 230.2 (what an OTA may not do); CY2025 PFS final rule, 89 FR 97710 (the
referral exception). Items not confirmed from the primary text ("check") say so in their
citation.
"""

from datetime import date

from otclinic.domain.compliance.findings import Rule, Severity

BPM_PLAN = "BPM ch. 15 sec. 220.1.2"
BPM_CERT = "BPM ch. 15 sec. 220.1.3"
BPM_PROGRESS = "BPM ch. 15 sec. 220.3"
BPM_OTA = "BPM ch. 15 sec. 230.2"

PROGRESS_DUE = Rule(
    "episode.progress_report.due",
    Severity.WARNING,
    BPM_PROGRESS,
    "The current period has reached its interval: a qualifying progress report is due.",
)
PROGRESS_OVERDUE = Rule(
    "episode.progress_report.overdue",
    Severity.ERROR,
    BPM_PROGRESS,
    "Treatment went on past the interval with no qualifying progress report.",
)
PROGRESS_LATE = Rule(
    "episode.progress_report.late",
    Severity.ERROR,
    BPM_PROGRESS,
    "An earlier period ran past its interval before its progress report was written.",
)
PROGRESS_NOT_QUALIFYING = Rule(
    "episode.progress_report.not_qualifying",
    Severity.WARNING,
    f"{BPM_PROGRESS}; {BPM_OTA}",
    "A progress report by someone other than the therapist does not start a new period.",
)
AUTHOR_NOT_PERMITTED = Rule(
    "episode.document.author_not_permitted",
    Severity.ERROR,
    f"{BPM_OTA}; {BPM_PROGRESS}",
    "Evaluations, re-evaluations and discharge notes are the therapist's to write.",
)
OTHER_DISCIPLINE = Rule(
    "episode.document.other_discipline",
    Severity.WARNING,
    "MCPM ch. 5 sec. 20 (each discipline under its own plan of care)",
    "A document by another discipline's clinician is not counted in this episode.",
)
EVALUATION_MISSING = Rule(
    "episode.evaluation.missing",
    Severity.WARNING,
    BPM_PLAN,
    "No evaluation document on the day the plan of care was established.",
)
CERT_PERIOD = Rule(
    "episode.certification.period",
    Severity.INFO,
    f"{BPM_CERT}; the evaluation day counted as day 1 (check: confirm with the MAC)",
    "How the certified-through date was counted.",
)
CERT_DELAYED = Rule(
    "episode.certification.delayed",
    Severity.INFO,
    BPM_CERT,
    "Signed after 30 days, with the reason for the delay recorded.",
)
CERT_DELAYED_WITHOUT_REASON = Rule(
    "episode.certification.delayed_without_reason",
    Severity.ERROR,
    f"{BPM_CERT}.D (after the 30 days accepted without justification, a delayed certification "
    "needs the reason for the delay); 42 CFR 424.11(d)",
    "Signed more than 30 days after it was due, with no reason for the delay recorded.",
)
CERT_DELAYED_IN_WINDOW = Rule(
    "episode.certification.delayed_in_window",
    Severity.WARNING,
    f"{BPM_CERT}.D (certifications are acceptable without justification for 30 days after "
    "they are due); 42 CFR 424.11(d)",
    "Signed late, but inside the 30 days accepted without justification.",
)
CERT_PENDING = Rule(
    "episode.certification.pending",
    Severity.WARNING,
    BPM_CERT,
    "Not signed yet, still inside the 30 days.",
)
CERT_OVERDUE = Rule(
    "episode.certification.overdue",
    Severity.ERROR,
    f"{BPM_CERT} (signature due within 30 days); {BPM_CERT}.D (accepted without justification "
    "for 30 days after that); 42 CFR 424.11(d)",
    "Not signed and past the 30 days: a warning for the next 30 days, then an error unless the "
    "reason for the delay is recorded.",
)
CERT_EXEMPT = Rule(
    "episode.certification.exempt_by_referral",
    Severity.INFO,
    "CY2025 PFS final rule, 89 FR 97710 (likely: confirm with the MAC)",
    "No signature needed: a signed referral names the discipline and the plan was sent in time.",
    effective_from=date(2025, 1, 1),
)
CERT_EXCEPTION_NOT_MET = Rule(
    "episode.certification.referral_exception_not_met",
    Severity.INFO,
    "CY2025 PFS final rule, 89 FR 97710 (likely: confirm with the MAC)",
    "A referral is on file but the referral exception does not apply.",
    effective_from=date(2025, 1, 1),
)
CERT_VERBAL_UNSIGNED = Rule(
    "episode.certification.verbal_unsigned",
    Severity.WARNING,
    BPM_CERT,
    "A verbal certification needs the physician's signature within 14 days.",
)
TREATMENT_AFTER_CERTIFICATION = Rule(
    "episode.treatment_after_certification",
    Severity.ERROR,
    BPM_CERT,
    "Treatment after the certified-through date with no recertification.",
)
RECERT_LATE = Rule(
    "episode.recertification.late",
    Severity.WARNING,
    BPM_CERT,
    "A recertification signed after the period it continues had ended.",
)
RECERT_TOO_LONG = Rule(
    "episode.recertification.over_90_days",
    Severity.WARNING,
    BPM_CERT,
    "A recertification covering more than 90 days; only 90 are certified.",
)
TREATMENT_AFTER_DISCHARGE = Rule(
    "episode.treatment_after_discharge",
    Severity.WARNING,
    BPM_PROGRESS,
    "Treatment documented after the discharge note.",
)
AUTHORIZATION_EXCEEDED = Rule(
    "episode.authorization.exceeded",
    Severity.ERROR,
    "payer authorization (payer_policies.yaml or the episode's authorized_visits); CARC 198",
    "More treatment days than the payer authorised.",
)
AUTHORIZATION_REACHED = Rule(
    "episode.authorization.reached",
    Severity.WARNING,
    "payer authorization (payer_policies.yaml or the episode's authorized_visits); CARC 197/198",
    "Every authorised visit has been used.",
)

EPISODE_RULES: tuple[Rule, ...] = (
    PROGRESS_DUE,
    PROGRESS_OVERDUE,
    PROGRESS_LATE,
    PROGRESS_NOT_QUALIFYING,
    AUTHOR_NOT_PERMITTED,
    OTHER_DISCIPLINE,
    EVALUATION_MISSING,
    CERT_PERIOD,
    CERT_DELAYED,
    CERT_DELAYED_WITHOUT_REASON,
    CERT_PENDING,
    CERT_OVERDUE,
    CERT_EXEMPT,
    CERT_EXCEPTION_NOT_MET,
    CERT_VERBAL_UNSIGNED,
    TREATMENT_AFTER_CERTIFICATION,
    RECERT_LATE,
    RECERT_TOO_LONG,
    TREATMENT_AFTER_DISCHARGE,
    AUTHORIZATION_EXCEEDED,
    AUTHORIZATION_REACHED,
)
