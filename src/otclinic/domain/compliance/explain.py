"""A finding as a user reads it: a plain sentence first, then "Why?" with the rule in full.

Screens show what a finding means for this patient or claim and what to do (`Explained.plain`);
the rule id, the file or module it is written in, the citation with its links, how sure the
reading of the source is and the rule's own figures (its message, a sampling draw, a hash) sit
behind a "Why?" disclosure (`Explained.why`). The plain sentence is data next to the rule
(`Rule.plain`, or the finding's own message where that is already plain words).
"""

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from otclinic.domain.compliance.catalog import CatalogEntry, code_rules
from otclinic.domain.compliance.findings import Rule

# How sure a rule's reading of its source is, in words (the catalog's firm | likely | check).
CONFIDENCE_WORDING = {
    "firm": "Firm: read from the primary source as written.",
    "likely": "Likely: otclinic's reading of the source; confirm it with the payer or the MAC.",
    "check": "Check: a figure or reading a person should confirm for this clinic.",
}

# Where a citation's source can be read, by the way citations name it.
_SOURCES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"\bBPM\b|Pub\. 100-02"),
        "Medicare Benefit Policy Manual, chapter 15",
        "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/bp102c15.pdf",
    ),
    (
        re.compile(r"\bMCPM\b|Pub\. 100-04"),
        "Medicare Claims Processing Manual, chapter 5",
        "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/clm104c05.pdf",
    ),
    (
        re.compile(r"\bNCCI\b"),
        "NCCI Policy Manual for Medicare",
        "https://www.cms.gov/medicare/coding-billing/ncci-medicare/medicare-ncci-policy-manual",
    ),
    (
        re.compile(r"\bSSA 18(33|34)\b"),
        "Social Security Act, title XVIII",
        "https://www.ssa.gov/OP_Home/ssact/title18/1800.htm",
    ),
)
_FEDERAL_REGISTER = re.compile(r"\b(\d{2,3}) FR (\d{3,6})\b")
_DATA_FILE = re.compile(r"rules/[\w-]+\.(?:yaml|csv)")
_CFR = re.compile(r"\b42 CFR (\d{3})\.(\d+)")


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Why:
    """Everything behind the "Why?" disclosure, in full."""

    rule_id: str
    rule_file: str
    citation: str
    links: tuple[Link, ...]
    confidence: str
    figures: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Explained:
    """A finding or decision as a screen shows it."""

    plain: str
    severity: str
    why: Why


def citation_links(citation: str) -> tuple[Link, ...]:
    """Where each source a citation names can be read (CMS manuals, Federal Register, CFR, SSA)."""
    links = [Link(label, url) for pattern, label, url in _SOURCES if pattern.search(citation)]
    for volume, page in _FEDERAL_REGISTER.findall(citation):
        links.append(
            Link(
                f"{volume} FR {page}",
                f"https://www.federalregister.gov/citation/{volume}-FR-{page}",
            )
        )
    for part, section in _CFR.findall(citation):
        links.append(
            Link(
                f"42 CFR {part}.{section}",
                f"https://www.ecfr.gov/current/title-42/section-{part}.{section}",
            )
        )
    return tuple(dict.fromkeys(links))


def confidence_wording(confidence: str | None, citation: str = "") -> str:
    """The catalog's confidence in words; a rule in code says it in its citation, if at all."""
    if confidence is None:
        for word in ("likely", "check"):
            if re.search(rf"\({word}\b", citation):
                confidence = word
                break
        else:
            confidence = "firm"
    return CONFIDENCE_WORDING.get(confidence, confidence)


@cache
def _rules() -> dict[str, tuple[CatalogEntry, str]]:
    found: dict[str, tuple[CatalogEntry, str]] = {}
    for entry in code_rules():
        module = importlib.import_module(entry.where)
        plain = ""
        for value in vars(module).values():
            if isinstance(value, Rule) and value.rule_id == entry.rule_id:
                plain = value.plain
                break
        found[entry.rule_id] = (entry, plain)
    return found


def plain_for(rule_id: str) -> str:
    """The rule's plain sentence, if it has one (empty otherwise)."""
    known = _rules().get(rule_id)
    return known[1] if known else ""


def explain(
    rule_id: str,
    message: str,
    *,
    citation: str = "",
    severity: str = "",
    plain: str = "",
    figures: Iterable[tuple[str, str]] = (),
) -> Explained:
    """A finding (`rule_id`, its `message` and `citation`) as users read it.

    The plain sentence is `plain` if given, else the rule's own (`Rule.plain`), else the message.
    "Why?" holds the rule id, where it is written, the citation and its links, the confidence in
    words and the figures: the rule's message when the plain sentence replaced it, then `figures`.
    """
    known = _rules().get(rule_id)
    entry = known[0] if known else None
    sentence = plain or (known[1] if known else "") or message
    citation = citation or (entry.citation if entry else "")
    shown: list[tuple[str, str]] = []
    if sentence != message and message:
        shown.append(("What the rule computed", message))
    shown.extend(figures)
    return Explained(
        plain=sentence,
        severity=severity,
        why=Why(
            rule_id=rule_id,
            rule_file=_rule_files(entry.where if entry else "", citation),
            citation=citation,
            links=citation_links(citation),
            confidence=confidence_wording(entry.confidence if entry else None, citation),
            figures=tuple(shown),
        ),
    )


def explain_rule(rule_id: str) -> Explained:
    """A rule named on its own (a denial's "the check that could have caught it"): its plain
    sentence, or its summary, with the rule in full behind "Why?"."""
    known = _rules().get(rule_id)
    summary = known[0].summary if known else rule_id
    return explain(rule_id, summary, plain=(known[1] if known else "") or summary)


def rule_file(where: str) -> str:
    """A rule's module (`otclinic.domain.billing.claim`) or data file as a path in the sources."""
    if where.endswith((".yaml", ".yml", ".csv")):
        return f"src/otclinic/domain/rules/{where.rsplit('/', 1)[-1]}"
    return "src/" + where.replace(".", "/") + ".py"


def _rule_files(where: str, citation: str) -> str:
    """The module a rule is written in and the data files its citation names."""
    files = [rule_file(where)] if where else []
    files += [f"src/otclinic/domain/{name}" for name in _DATA_FILE.findall(citation)]
    return "; ".join(dict.fromkeys(files))
