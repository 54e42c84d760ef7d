"""The words and figures of the review before signing, read from `rules/note_review.yaml`.

Each check of `review.py` has a section there with its id, its primary source and how sure
otclinic's reading of it is; the figures (similarity threshold, visits without a goal, the
tolerance of a falling measure) and the word lists live beside them, not in code.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from otclinic.domain.billing.rulebook import RULES_DIR
from otclinic.domain.billing.yamlfile import read_yaml

REVIEW_FILE = RULES_DIR / "note_review.yaml"

# The checks, in the order the note page lists their findings.
CHECKS = (
    "skilled_language",
    "patient_response",
    "goal_progress",
    "measure_contradicts",
    "minutes_mismatch",
    "cloned",
    "plan_not_delivered",
    "goal_not_addressed",
)


@dataclass(frozen=True, slots=True)
class CheckSource:
    """A check's identity as the catalog and the "Why?" disclosure show it."""

    rule_id: str
    citation: str
    summary: str


@dataclass(frozen=True, slots=True)
class ReviewRules:
    """Everything the review reads from its rule file."""

    sources: dict[str, CheckSource]
    skilled_words: tuple[str, ...]
    empty_phrases: tuple[str, ...]
    response_phrases: tuple[str, ...]
    not_treatment_time: frozenset[str]
    tolerance_share: Decimal
    assistance_units: frozenset[str]
    assistance_levels: dict[str, int]  # a written level ("min a") -> rank (1 dependent .. 9)
    clone_threshold: int
    clone_min_chars: int
    same_patient_notes: int
    same_author_notes: int
    plan_after_visits: int
    goal_visits: int
    blocking_by_default: frozenset[str]

    def source(self, check: str) -> CheckSource:
        return self.sources[check]


@cache
def review_rules() -> ReviewRules:
    """The review's rule file, read once."""
    data = read_yaml(REVIEW_FILE)
    return ReviewRules(
        sources={name: _source(data[name]) for name in CHECKS},
        skilled_words=_words(data["skilled_language"]["words"]),
        empty_phrases=_words(data["skilled_language"]["empty_phrases"]),
        response_phrases=_words(data["patient_response"]["phrases"]),
        not_treatment_time=frozenset(_words(data["minutes_mismatch"]["not_treatment_time"])),
        tolerance_share=Decimal(str(data["measure_contradicts"]["tolerance_share"])),
        assistance_units=frozenset(_words(data["measure_contradicts"]["assistance_units"])),
        assistance_levels={
            str(word).lower(): int(rank)
            for rank, words in data["measure_contradicts"]["assistance_levels"].items()
            for word in words
        },
        clone_threshold=int(data["cloned"]["threshold"]),
        clone_min_chars=int(data["cloned"]["min_chars"]),
        same_patient_notes=int(data["cloned"]["same_patient_notes"]),
        same_author_notes=int(data["cloned"]["same_author_notes"]),
        plan_after_visits=int(data["plan_not_delivered"]["after_visits"]),
        goal_visits=int(data["goal_not_addressed"]["visits"]),
        blocking_by_default=frozenset(str(r) for r in data["blocking_by_default"]),
    )


def review_rule_ids() -> tuple[str, ...]:
    """The rule ids of every check, in the page's order (for the clinic's settings)."""
    rules = review_rules()
    return tuple(rules.source(name).rule_id for name in CHECKS)


def _source(section: dict[str, Any]) -> CheckSource:
    # The file and how sure its reading is travel with the citation: "Why?" shows both.
    sure = str(section.get("confidence", "firm"))
    hedge = f" ({sure})" if sure != "firm" else ""
    return CheckSource(
        rule_id=str(section["id"]),
        citation=f"{section['reference']}; rules/{REVIEW_FILE.name}{hedge}",
        summary=" ".join(str(section["summary"]).split()),
    )


def _words(values: list[Any]) -> tuple[str, ...]:
    return tuple(str(v).lower() for v in values)
