"""The X12 code lists the clearinghouse readers put into words, read from `codes/*.csv`.

Each file starts with comment lines (`#`) that cite its source, then `code,words` rows. A code
not in a list is never guessed at: `words` returns None and `described` says it is not listed.
"""

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


class CodeList(StrEnum):
    """The code lists in `codes/`, named after the file; each file cites its source."""

    ACK_STATUS = "ack_status"
    SET_ERRORS = "ik5_set_errors"
    GROUP_ERRORS = "ak9_group_errors"
    SEGMENT_ERRORS = "ik3_segment_errors"
    ELEMENT_ERRORS = "ik4_element_errors"
    FUNCTIONAL_IDS = "functional_ids"
    STATUS_CATEGORIES = "claim_status_categories"
    STATUS_CODES = "claim_status_codes"
    ENTITIES = "entity_identifiers"
    BENEFITS = "eligibility_benefits"
    COVERAGE_LEVELS = "coverage_levels"
    SERVICE_TYPES = "service_types"
    TIME_PERIODS = "time_periods"
    QUANTITIES = "quantity_qualifiers"
    INSURANCE_TYPES = "insurance_types"
    REJECT_REASONS = "aaa_reject_reasons"
    FOLLOW_UPS = "aaa_follow_up"
    DATES = "date_qualifiers"


@dataclass(frozen=True, slots=True)
class Coded:
    """A code and its meaning in words (None when the list does not hold the code)."""

    code: str
    words: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"code": self.code, "words": self.words}


@cache
def code_list(name: CodeList) -> dict[str, str]:
    """Every code of list `name` and its words."""
    source = resources.files("otclinic.domain.claims.x12") / "codes" / f"{name.value}.csv"
    lines = [line for line in source.read_text("utf-8").splitlines() if not line.startswith("#")]
    return {row["code"]: row["words"] for row in csv.DictReader(lines)}


def words(name: CodeList, code: str) -> str | None:
    """The meaning of `code` in list `name`, or None."""
    return code_list(name).get(code)


def coded(name: CodeList, code: str) -> Coded:
    """`code` with its words from list `name`."""
    return Coded(code, words(name, code))


def coded_or_none(name: CodeList, code: str) -> Coded | None:
    """`coded`, or None for an empty code (an element the sender left out)."""
    return coded(name, code) if code else None
