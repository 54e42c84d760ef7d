"""Denial codes in plain language: what a CARC, RARC or group code means and what to do next.

The official code lists and their descriptions (CARC and RARC, maintained by X12) are licensed,
so the explanations here are otclinic's own short words for the codes a therapy clinic sees
most (chosen from X12's Claim Adjustment Reason Code and Remittance Advice Remark Code lists).
A clinic that holds the official lists can
load them: set `OTCLINIC_CODE_TEXTS` to a CSV file with the columns `kind,code,text` (kind is
CARC or RARC) and the official text is shown beside ours.

Each CARC also names the engine rule that could have caught the denial before the claim went
out: the billing engine's and the episode check's (otclinic.domain) or the claim scrubber's
(clinic/revenue/scrubber.py, `scrub.*`).
"""

import csv
import os
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path


class NextAction(StrEnum):
    """What a biller does about a denial."""

    CORRECT_AND_RESUBMIT = "correct_and_resubmit"
    APPEAL = "appeal"
    WRITE_OFF = "write_off"
    BILL_PATIENT = "bill_patient"
    BILL_SECONDARY = "bill_secondary"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    NextAction.CORRECT_AND_RESUBMIT: "Correct the claim and resubmit it",
    NextAction.APPEAL: "Appeal with documentation",
    NextAction.WRITE_OFF: "Write it off",
    NextAction.BILL_PATIENT: "Bill the patient",
    NextAction.BILL_SECONDARY: "Bill the secondary payer",
}


@dataclass(frozen=True, slots=True)
class CodeText:
    code: str
    explanation: str
    next_action: NextAction | None = None
    engine_rule_id: str = ""


_A = NextAction

# Claim adjustment reason codes that deny (or cut) a line, in our own words.
CARC: dict[str, CodeText] = {
    c.code: c
    for c in [
        CodeText(
            "4",
            "A modifier is missing or does not fit the code (GO, KX, 59...).",
            _A.CORRECT_AND_RESUBMIT,
            "modifier.discipline",
        ),
        CodeText(
            "16",
            "The claim is missing information; the remark code says which.",
            _A.CORRECT_AND_RESUBMIT,
            "scrub.claim_facts",
        ),
        CodeText(
            "18",
            "The payer already has this service: a duplicate claim or line.",
            _A.WRITE_OFF,
            "scrub.duplicate_line",
        ),
        CodeText(
            "29",
            "The time limit for filing this claim has passed.",
            _A.APPEAL,
            "scrub.timely_filing",
        ),
        CodeText(
            "50",
            "The payer does not consider the service medically necessary.",
            _A.APPEAL,
            "episode.certification.overdue",
        ),
        CodeText("96", "The service is not covered by this plan.", _A.BILL_PATIENT, ""),
        CodeText(
            "97",
            "Paid as part of another service billed the same day (bundling).",
            _A.CORRECT_AND_RESUBMIT,
            "ncci.ptp",
        ),
        CodeText(
            "119",
            "The yearly benefit maximum was reached (therapy threshold or visit limit).",
            _A.CORRECT_AND_RESUBMIT,
            "threshold.kx",
        ),
        CodeText(
            "151",
            "More units or visits than the payer supports for this code.",
            _A.APPEAL,
            "ncci.mue",
        ),
        CodeText(
            "197",
            "Prior authorization or precertification was missing.",
            _A.APPEAL,
            "episode.authorization.exceeded",
        ),
        CodeText(
            "198",
            "More visits than the authorization allows.",
            _A.APPEAL,
            "episode.authorization.exceeded",
        ),
        CodeText("204", "The patient's plan does not cover this service.", _A.BILL_SECONDARY, ""),
        CodeText(
            "236",
            "This code and modifier combination is not allowed together.",
            _A.CORRECT_AND_RESUBMIT,
            "ncci.ptp",
        ),
        CodeText(
            "B7",
            "The provider was not eligible (enrolled or certified) on that date.",
            _A.CORRECT_AND_RESUBMIT,
            "scrub.state_license",
        ),
        # Not denials: the everyday adjustments, explained for the remittance pages.
        CodeText("1", "Deductible: the patient pays this part."),
        CodeText("2", "Coinsurance: the patient's share."),
        CodeText("3", "Co-payment: the patient's fixed share."),
        CodeText("23", "Already paid or adjusted by an earlier payer."),
        CodeText("45", "More than the fee schedule or contract allows: not billable."),
        CodeText("94", "Processed in excess of charges."),
        CodeText("A2", "Contractual adjustment."),
    ]
}

DENYING_CARCS = frozenset(code for code, text in CARC.items() if text.next_action)

RARC: dict[str, str] = {
    "M77": "The place of service is missing or wrong.",
    "N115": "Decided under a local coverage determination (LCD).",
    "N362": "More units than the payer's limit for the day (MUE).",
    "N386": "Decided under a national coverage determination (NCD).",
    "N130": "Check the plan's benefit limits.",
    "MA130": "The claim cannot be appealed as sent: correct it and send a new one.",
}

GROUP: dict[str, str] = {
    "CO": "Contractual: the clinic may not bill the patient for it.",
    "PR": "Patient responsibility: the patient may be billed.",
    "OA": "Other adjustment.",
    "PI": "Payer-initiated reduction.",
    "CR": "Correction or reversal of an earlier claim.",
}


def carc_text(code: str) -> CodeText:
    """Our explanation of a CARC; an unknown code says so and asks for a look at the remit."""
    return CARC.get(code) or CodeText(code, "A code otclinic has no explanation for yet.")


def denies(group: str, reason: str) -> bool:
    """Whether a CAS adjustment with nothing paid is a denial to work (not a routine write-down)."""
    return group in {"CO", "PR", "OA"} and reason in DENYING_CARCS


def official_texts() -> dict[tuple[str, str], str]:
    """The clinic's official CARC/RARC texts, from the CSV file named by OTCLINIC_CODE_TEXTS."""
    path = os.environ.get("OTCLINIC_CODE_TEXTS", "")
    return _read_official(path) if path else {}


@lru_cache(maxsize=4)
def _read_official(path: str) -> dict[tuple[str, str], str]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {
            (row["kind"].strip().upper(), row["code"].strip()): row["text"].strip()
            for row in csv.DictReader(handle)
        }
