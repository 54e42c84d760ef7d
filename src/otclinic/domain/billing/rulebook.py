"""All the tables and dated figures one billing check reads, loaded once per process.

The engine takes a `RuleBook` so that tests, a clinic with CMS's full NCCI files, or a clinic with
codes of its own (`with_local_codes`) can check visits against other tables;
`default_rulebook()` reads the files shipped in domain/rules once.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from otclinic.domain.billing.codebook import (
    CodeInfo,
    CodeKind,
    CodeTable,
    CodeTableError,
    Family,
    load_code_table,
)
from otclinic.domain.billing.ncci_tables import MueTable, PtpTable, load_mue, load_ptp
from otclinic.domain.billing.parameters import DatedParameter, DatedValue, load_parameter
from otclinic.domain.codes import Discipline

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The code table, NCCI tables and yearly figures in force for the billing check."""

    codes: dict[str, CodeInfo]
    ptp: PtpTable
    mue: MueTable
    kx_threshold: DatedParameter
    review_threshold: DatedParameter
    assistant_rules: DatedParameter
    family_table: dict[str, Family] = field(default_factory=dict)
    # The minutes at which a stepped family's base and add-on units are earned, by family.
    family_units: dict[str, DatedParameter] = field(default_factory=dict)
    code_list: str = ""  # where the code table comes from, for findings

    # Derived from the tables above when the book is made (so `replace` keeps them in step).
    families: dict[str, tuple[str, str]] = field(init=False, repr=False)
    ptp_codes: frozenset[str] = field(init=False, repr=False)
    # Codes that the code, caregiver, add-on and scope rules look at more closely, for each
    # discipline: a visit without any of them skips those rules, which have nothing to say.
    screened: dict[Discipline, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        families = {name: (f.base, f.addon) for name, f in self.family_table.items()}
        object.__setattr__(self, "families", families)
        object.__setattr__(self, "ptp_codes", frozenset(c for pair in self.ptp for c in pair))
        screened = {d: frozenset(_screened(self.codes, d)) for d in Discipline}
        object.__setattr__(self, "screened", screened)

    def family(self, name: str) -> tuple[str, str]:
        """The base and add-on codes of a family of codes billed from one pool of minutes."""
        return self.families[name]


def _screened(codes: dict[str, CodeInfo], discipline: Discipline) -> list[str]:
    return [
        code
        for code, info in codes.items()
        if info.effective_from is not None
        or info.effective_to is not None
        or info.medicare is not None
        or info.group == "caregiver"
        or info.is_evaluation
        or info.addon_to
        or info.unlisted
        or info.minimum_minutes > 1
        or discipline not in info.disciplines
    ]


def load_rulebook(
    rules_dir: Path = RULES_DIR,
    *,
    ptp_file: str = "ncci_ptp_practitioner.csv",
    mue_file: str = "ncci_mue_practitioner.csv",
) -> RuleBook:
    """Read every table from `rules_dir` (the NCCI file names may be chosen)."""
    table = load_code_table(rules_dir / "billing_codes.yaml")
    return RuleBook(
        codes=table.codes,
        ptp=load_ptp(rules_dir / ptp_file),
        mue=load_mue(rules_dir / mue_file),
        kx_threshold=load_parameter(rules_dir / "therapy_threshold.yaml"),
        review_threshold=load_parameter(rules_dir / "targeted_review_threshold.yaml"),
        assistant_rules=load_parameter(rules_dir / "assistant_modifier.yaml"),
        family_table=table.families,
        family_units=_family_units(table, rules_dir),
        code_list=f"{table.list_name}, {table.list_year}" if table.list_name else "",
    )


def _family_units(table: CodeTable, rules_dir: Path) -> dict[str, DatedParameter]:
    units = {}
    for name, family in table.families.items():
        if family.parameter:
            units[name] = load_parameter(rules_dir / family.parameter)
        elif family.steps:
            since = table.codes[family.base].effective_from or date.min
            value = DatedValue(effective=since, value=family.steps, confidence=family.confidence)
            units[name] = DatedParameter(name=name, reference=family.citation, values=(value,))
    return units


def with_local_codes(book: RuleBook, local: CodeTable) -> RuleBook:
    """The book with a clinic's own codes added (a clinic's entry replaces a shipped one)."""
    if not local.codes and not local.families:
        return book
    families = {**book.family_table, **local.families}
    units = dict(book.family_units)
    for name, family in local.families.items():
        if family.steps:
            since = local.codes.get(family.base, book.codes.get(family.base))
            start = since.effective_from if since and since.effective_from else date.min
            value = DatedValue(effective=start, value=family.steps, confidence=family.confidence)
            units[name] = DatedParameter(name=name, reference=family.citation, values=(value,))
    return replace(
        book, codes={**book.codes, **local.codes}, family_table=families, family_units=units
    )


def check_local_codes(book: RuleBook, local: CodeTable, *, name: str) -> None:
    """Refuse a clinic's table whose add-on codes name a primary code that no table holds.

    `book` is the table the clinic's codes join (the shipped one); the message names the code
    and the field, like every other problem with a code table.
    """
    known = book.codes.keys() | local.codes.keys()
    for code, info in local.codes.items():
        for parent in info.addon_to:
            if parent not in known:
                raise CodeTableError(
                    f"{name}: codes.{code}.addon_to: {parent} is in neither otclinic's code "
                    "table nor the clinic's: add it first"
                )


def is_timed_code(book: RuleBook, code: str) -> bool:
    """Whether a code is a 15-minute timed code (its minutes are the note's timed minutes)."""
    info = book.codes.get(code)
    return info is not None and info.kind is CodeKind.TIMED


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The shipped tables, read once per process."""
    return load_rulebook()
