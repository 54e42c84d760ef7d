"""ICD-10-CM diagnosis codes, checked against the real code set (simple-icd-10-cm).

Claims carry only billable codes: a category that has subdivisions (a "header") is rejected
with its description, so that the clinician can pick the specific code (ICD-10-CM Official
Guidelines for Coding and Reporting, sec. I.A.1 and I.B.1).
"""

import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class DiagnosisCheck:
    """The result of checking one ICD-10-CM code."""

    code: str
    valid: bool
    billable: bool
    description: str
    problem: str | None


def normalize_icd10(code: str) -> str:
    """The code in its dotted, upper-case form: 'i69351' -> 'I69.351'."""
    compact = (code or "").strip().upper().replace(".", "")
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


@lru_cache(maxsize=1)
def _icd() -> Any:
    # Loaded on first use: it reads the whole code set. Its loader uses a deprecated
    # importlib API, which is the package's to fix, not a problem of ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as icd

    return icd


def check_icd10(code: str) -> DiagnosisCheck:
    """Whether `code` is a real ICD-10-CM code that can go on a claim."""
    dotted = normalize_icd10(code)
    icd = _icd()
    if not dotted or not icd.is_valid_item(dotted):
        return DiagnosisCheck(
            dotted, False, False, "", f"{dotted or code!r} is not an ICD-10-CM code"
        )
    description = str(icd.get_description(dotted))
    if not icd.is_leaf(dotted):
        return DiagnosisCheck(
            dotted,
            True,
            False,
            description,
            f"{dotted} ({description}) is a category, not a billable code: choose a more specific code",
        )
    return DiagnosisCheck(dotted, True, True, description, None)
