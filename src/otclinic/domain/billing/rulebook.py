"""All the tables and dated figures one billing check reads, loaded once per process.

The engine takes a `RuleBook` so that tests (and a clinic with CMS's full NCCI files) can check
visits against other tables; `default_rulebook()` reads the files shipped in domain/rules once.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from otclinic.domain.billing.codebook import CodeInfo, load_codebook
from otclinic.domain.billing.ncci_tables import MueTable, PtpTable, load_mue, load_ptp
from otclinic.domain.billing.parameters import DatedParameter, load_parameter

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The code table, NCCI tables and yearly figures in force for the billing check."""

    codes: dict[str, CodeInfo]
    ptp: PtpTable
    mue: MueTable
    kx_threshold: DatedParameter
    review_threshold: DatedParameter
    caregiver_units: DatedParameter
    assistant_rules: DatedParameter

    # Derived from the tables above when the book is made (so `replace` keeps them in step).
    families: dict[str, tuple[str, str]] = field(init=False, repr=False)
    ptp_codes: frozenset[str] = field(init=False, repr=False)
    # Codes that the code rules, caregiver rules or scope rules look at more closely: a visit
    # without any of them skips those rules, which then have nothing to say.
    screened_codes: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = sorted({info.family for info in self.codes.values() if info.family})
        families = {name: family_codes(self.codes, name) for name in names}
        object.__setattr__(self, "families", families)
        object.__setattr__(self, "ptp_codes", frozenset(c for pair in self.ptp for c in pair))
        screened = frozenset(
            code
            for code, info in self.codes.items()
            if info.effective_from is not None
            or info.medicare is not None
            or info.group == "caregiver"
            or info.is_evaluation
        )
        object.__setattr__(self, "screened_codes", screened)

    def family(self, name: str) -> tuple[str, str]:
        """The base and add-on codes of a family of codes billed from one pool of minutes."""
        return self.families[name]


def load_rulebook(
    rules_dir: Path = RULES_DIR,
    *,
    ptp_file: str = "ncci_ptp_practitioner.csv",
    mue_file: str = "ncci_mue_practitioner.csv",
) -> RuleBook:
    """Read every table from `rules_dir` (the NCCI file names may be chosen)."""
    return RuleBook(
        codes=load_codebook(rules_dir / "billing_codes.yaml"),
        ptp=load_ptp(rules_dir / ptp_file),
        mue=load_mue(rules_dir / mue_file),
        kx_threshold=load_parameter(rules_dir / "therapy_threshold.yaml"),
        review_threshold=load_parameter(rules_dir / "targeted_review_threshold.yaml"),
        caregiver_units=load_parameter(rules_dir / "caregiver_training.yaml"),
        assistant_rules=load_parameter(rules_dir / "assistant_modifier.yaml"),
    )


def family_codes(codes: dict[str, CodeInfo], name: str) -> tuple[str, str]:
    """The base and add-on codes of one family in a code table."""
    members = {info.role: code for code, info in codes.items() if info.family == name}
    return members["base"], members["addon"]


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The shipped tables, read once per process."""
    return load_rulebook()
