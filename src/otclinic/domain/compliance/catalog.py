"""Every rule otclinic applies, with its id, dates, citation and confidence.

Two kinds of rule: the rules written in code (module-level `Rule` objects in the domain, each
with a stable id, its dates and its citation) and the entries of the data files in
`domain/rules/` (dated figures, code table entries, NCCI edits, supervision packs...). Each data
file has a reader here; a file without one is an error, so a new rule file cannot go unlisted.
`otclinic rules list` prints the catalog, and a test walks it: every data entry must carry a
date, a primary source (the CMS manual, the Federal Register, a statute or code, a state rule,
a named standard, or the clinic's own policy; never a secondary summary) and a confidence.
"""

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from otclinic.domain.billing.codebook import CONFIDENCES, parse_code_table
from otclinic.domain.billing.ncci_tables import data_rows
from otclinic.domain.billing.rulebook import RULES_DIR
from otclinic.domain.billing.yamlfile import read_yaml
from otclinic.domain.compliance.findings import Rule

# Citations that point at a summary rather than the source it summarises.
SECONDARY = re.compile(r"billing-rules\.md|supervision\.md|shared/|otclinic issue|\bissue \d")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One rule: where it is written, when it holds, what it cites and how sure it is."""

    rule_id: str
    where: str  # the data file, or the module of a rule written in code
    effective_from: date | None
    effective_to: date | None
    citation: str
    confidence: str | None  # firm | likely | check; None for rules written in code
    summary: str = ""
    codes: frozenset[str] = frozenset()  # the codes it concerns (empty: none named)
    applies_to: frozenset[str] = frozenset()  # for code rules: kinds or groups of codes
    # For an entry in force since before its source's edition (a long-standing code): the day
    # of the edition it was read from.
    as_of: date | None = None

    @property
    def dated(self) -> bool:
        return self.effective_from is not None or self.as_of is not None

    def problems(self) -> list[str]:
        """What a data entry lacks: a date, a primary citation, a confidence."""
        found = []
        if not self.dated:
            found.append("no effective date")
        if not self.citation.strip():
            found.append("no citation")
        elif SECONDARY.search(self.citation):
            found.append(f"cites a summary, not the primary source: {self.citation!r}")
        if self.confidence not in CONFIDENCES:
            found.append(f"confidence {self.confidence!r} is not one of {', '.join(CONFIDENCES)}")
        return found


class CatalogError(ValueError):
    """A rule file the catalog cannot read."""


# ----- the rules written in code -------------------------------------------------------------


def code_rules(package: str = "otclinic.domain") -> list[CatalogEntry]:
    """Every module-level `Rule` of the domain package, by rule id."""
    rules: dict[str, CatalogEntry] = {}
    root = importlib.import_module(package)
    for module_info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, Rule) and value.rule_id not in rules:
                rules[value.rule_id] = _from_rule(value, module_info.name)
    return sorted(rules.values(), key=lambda entry: entry.rule_id)


def _from_rule(rule: Rule, module: str) -> CatalogEntry:
    return CatalogEntry(
        rule_id=rule.rule_id,
        where=module,
        effective_from=rule.effective_from,
        effective_to=rule.effective_to,
        citation=rule.citation,
        confidence=None,
        summary=rule.summary,
        applies_to=rule.applies_to,
    )


# ----- the data files -------------------------------------------------------------------------


def data_entries(rules_dir: Path = RULES_DIR) -> list[CatalogEntry]:
    """Every entry of every rule file in `rules_dir`; a file with no reader is an error."""
    entries: list[CatalogEntry] = []
    for path in sorted(rules_dir.iterdir()):
        if path.suffix not in {".yaml", ".yml", ".csv"}:
            continue
        reader = READERS.get(path.name)
        if reader is None:
            raise CatalogError(f"{path.name}: no catalog reader; add one to READERS")
        entries.extend(reader(path))
    return entries


def _dated_values(
    *,
    rule_id: str,
    where: str,
    raw: dict[str, Any],
    reference: str,
    confidence: Any,
    per_year: bool = False,
    through: date | None = None,
    summary: str = "",
) -> list[CatalogEntry]:
    """One entry per value of a `values:` mapping keyed by the date each takes effect."""
    starts = sorted((_as_date(key), key) for key in raw)
    entries = []
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] - timedelta(days=1) if index + 1 < len(starts) else through
        if per_year:
            end = date(start.year, 12, 31)
        sure = (
            confidence.get(key, confidence.get(start))
            if isinstance(confidence, dict)
            else confidence
        )
        entries.append(
            CatalogEntry(
                rule_id=f"{rule_id}@{start.isoformat()}",
                where=where,
                effective_from=start,
                effective_to=end,
                citation=reference,
                confidence=None if sure is None else str(sure),
                summary=summary or f"{rule_id}: {raw[key]}",
            )
        )
    return entries


def read_dated_parameter(path: Path) -> list[CatalogEntry]:
    """A dated parameter file: `reference`, `confidence` and `values` keyed by date."""
    data = read_yaml(path)
    through = data.get("valid_through")
    return _dated_values(
        rule_id=path.stem,
        where=f"rules/{path.name}",
        raw=data["values"],
        reference=str(data.get("reference", "")),
        confidence=data.get("confidence"),
        per_year=bool(data.get("per_calendar_year")),
        through=_as_date(through) if through else None,
    )


def read_sections(path: Path) -> list[CatalogEntry]:
    """A file of named sections, each a dated parameter or a single dated rule (fieldwork,
    hiring); nested sections are walked."""
    return list(_sections(read_yaml(path), prefix=path.stem, where=f"rules/{path.name}"))


def _sections(data: dict[str, Any], *, prefix: str, where: str) -> Iterator[CatalogEntry]:
    for key, section in data.items():
        if not isinstance(section, dict):
            continue
        name = f"{prefix}.{key}"
        if "values" in section:
            yield from _dated_values(
                rule_id=name,
                where=where,
                raw=section["values"],
                reference=str(section.get("reference", "")),
                confidence=section.get("confidence"),
            )
            yield from _items(section["values"], name=name, where=where)
        elif "id" in section or "reference" in section:
            yield _single(section, rule_id=str(section.get("id", name)), where=where)
        else:
            yield from _sections(section, prefix=name, where=where)


def _items(values: dict[Any, Any], *, name: str, where: str) -> Iterator[CatalogEntry]:
    """Entries of a dated list whose items carry their own reference (onboarding items)."""
    for key, value in values.items():
        if not isinstance(value, list):
            continue
        for item in value:
            if isinstance(item, dict) and "reference" in item:
                label = str(item.get("label", "item"))
                yield CatalogEntry(
                    rule_id=f"{name}@{_as_date(key).isoformat()}: {label}",
                    where=where,
                    effective_from=_as_date(key),
                    effective_to=None,
                    citation=str(item["reference"]),
                    confidence=str(item.get("confidence")) if item.get("confidence") else None,
                    summary=label,
                )


def _single(
    raw: dict[str, Any], *, rule_id: str, where: str, codes: frozenset[str] = frozenset()
) -> CatalogEntry:
    start, end = raw.get("effective_from"), raw.get("effective_to")
    return CatalogEntry(
        rule_id=rule_id,
        where=where,
        effective_from=_as_date(start) if start else None,
        effective_to=_as_date(end) if end else None,
        citation=str(raw.get("citation") or raw.get("reference") or ""),
        confidence=str(raw["confidence"]) if raw.get("confidence") else None,
        summary=" ".join(str(raw.get("summary", raw.get("label", ""))).split()),
        codes=codes,
    )


def read_packs(path: Path) -> list[CatalogEntry]:
    """A file of rule packs (supervision, co-signature): `packs:` with id, dates, citation."""
    where = f"rules/{path.name}"
    return [
        _single(pack, rule_id=str(pack["id"]), where=where) for pack in read_yaml(path)["packs"]
    ]


def read_payer_policies(path: Path) -> list[CatalogEntry]:
    """The payer policy overrides, one entry each."""
    where = f"rules/{path.name}"
    return [
        _single(override, rule_id=f"payer_policy.{override['name']}", where=where)
        for override in read_yaml(path)["overrides"]
    ]


def read_certification_reminders(path: Path) -> list[CatalogEntry]:
    """The signature window (regulatory) and the reminder schedules (clinic policy)."""
    data = read_yaml(path)
    where = f"rules/{path.name}"
    entries = [
        _single(data["signature_window"], rule_id=f"{path.stem}.signature_window", where=where)
    ]
    for schedule in data["schedules"]:
        start = _as_date(schedule["effective_from"]).isoformat()
        entries.append(_single(schedule, rule_id=f"{path.stem}.schedule@{start}", where=where))
    return entries


def read_code_table(path: Path) -> list[CatalogEntry]:
    """One entry per code and per family of the code table, dated from the list's edition."""
    data = read_yaml(path)
    table = parse_code_table(data, name=path.name)
    listing = data.get("list") or {}
    edition = date(int(listing["year"]), 1, 1) if listing.get("year") else None
    where = f"rules/{path.name}"
    entries = []
    for code, info in sorted(table.codes.items()):
        kind = (
            "time units" if info.unit_minutes != 15 and info.kind != "untimed" else str(info.kind)
        )
        entries.append(
            CatalogEntry(
                rule_id=f"codes.{code}",
                where=where,
                effective_from=info.effective_from,
                effective_to=info.effective_to,
                citation=info.citation,
                confidence=info.confidence,
                summary=f"{info.summary} ({kind}; {info.listed} therapy)",
                codes=frozenset({code, *info.addon_to}),
                as_of=edition,
            )
        )
    for name, family in sorted(table.families.items()):
        base = table.codes.get(family.base)
        entries.append(
            CatalogEntry(
                rule_id=f"codes.family.{name}",
                where=where,
                effective_from=base.effective_from if base else None,
                effective_to=base.effective_to if base else None,
                citation=family.citation,
                confidence=family.confidence,
                summary=f"{family.base} then {family.addon}: "
                + (
                    "pooled 15-minute units"
                    if family.pooled
                    else f"units at {family.steps or family.parameter}"
                ),
                codes=frozenset({family.base, family.addon}),
                as_of=edition,
            )
        )
    return entries


def read_ncci_csv(path: Path) -> list[CatalogEntry]:
    """NCCI PTP or MUE rows (CMS's column order, then otclinic's Source and Confidence)."""
    header = _csv_header(path)
    rows = data_rows(path)
    where = f"rules/{path.name}"
    if "ptp" in path.stem:
        return [_ptp_entry(row, header, where) for row in rows]
    return [_mue_entry(row, header, where) for row in rows]


def _ptp_entry(row: list[str], header: dict[str, str], where: str) -> CatalogEntry:
    start = _cms_date(row[3])
    end = None if row[4] in {"", "*"} else _cms_date(row[4])
    return CatalogEntry(
        rule_id=f"ncci.ptp.{row[0]}-{row[1]}",
        where=where,
        effective_from=start,
        effective_to=end,
        citation=_cell(row, 7) or header.get("source", ""),
        confidence=_cell(row, 8) or header.get("confidence"),
        summary=f"{row[1]} (column 2) with {row[0]} (column 1), modifier indicator {row[5]}",
        codes=frozenset({row[0], row[1]}),
    )


def _mue_entry(row: list[str], header: dict[str, str], where: str) -> CatalogEntry:
    effective = header.get("effective")
    return CatalogEntry(
        rule_id=f"ncci.mue.{row[0]}",
        where=where,
        effective_from=_as_date(effective) if effective else None,
        effective_to=None,
        citation=_cell(row, 4) or header.get("source", ""),
        confidence=_cell(row, 5) or header.get("confidence"),
        summary=f"{row[0]}: at most {row[1]} units (adjudication indicator {row[2][:1]})",
        codes=frozenset({row[0]}),
    )


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if len(row) > index else ""


def _csv_header(path: Path) -> dict[str, str]:
    """`# key: value` lines at the top of a CSV rule file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#\s*(source|confidence|effective|imported_on|quarter):\s*(.+)", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def read_member_id_formats(path: Path) -> list[CatalogEntry]:
    """One entry per published member id format (member_id_formats.yaml)."""
    data = read_yaml(path)
    entries = []
    for key, entry in data["formats"].items():
        defaults = sorted(plan for plan, fmt in data["plan_defaults"].items() if fmt == key)
        summary = f"{entry['name']}: {entry['positions']}"
        if defaults:
            summary += f"; the default for {', '.join(defaults)}"
        entries.append(
            replace(
                _single(entry, rule_id=f"member_id.{key}", where=f"rules/{path.name}"),
                summary=summary,
            )
        )
    return entries


def read_measures(path: Path) -> list[CatalogEntry]:
    """The standardized measures: one entry per instrument, citing its published source."""
    data = read_yaml(path)
    return [
        CatalogEntry(
            rule_id=f"{path.stem}.{key}",
            where=f"rules/{path.name}",
            effective_from=None,
            effective_to=None,
            citation=str(raw["source"]),
            confidence="firm",
            summary=f"{raw['label']}: {raw['scoring']}",
            as_of=_as_date(data["read_on"]),
        )
        for key, raw in data["instruments"].items()
    ]


def read_plan_of_care(path: Path) -> list[CatalogEntry]:
    """How a plan's frequency, duration and certification period agree: one rule."""
    data = read_yaml(path)
    return [
        CatalogEntry(
            rule_id=path.stem,
            where=f"rules/{path.name}",
            effective_from=None,
            effective_to=None,
            citation=str(data["reference"]),
            confidence="firm",
            summary=(
                "The plan's weeks fit within its certification period of at most "
                f"{data['max_certification_days']} days"
            ),
            as_of=_as_date(data["read_on"]),
        )
    ]


READERS: dict[str, Callable[[Path], list[CatalogEntry]]] = {
    "appointment_reminder_windows.yaml": read_dated_parameter,
    "assistant_modifier.yaml": read_dated_parameter,
    "billing_codes.yaml": read_code_table,
    "caregiver_training.yaml": read_dated_parameter,
    "ce_warning_days.yaml": read_dated_parameter,
    "certification_reminders.yaml": read_certification_reminders,
    "credential_alert_windows.yaml": read_dated_parameter,
    "fieldwork.yaml": read_sections,
    "hiring.yaml": read_sections,
    "measures.yaml": read_measures,
    "member_id_formats.yaml": read_member_id_formats,
    "nbcot_pdus.yaml": read_dated_parameter,
    "note_review.yaml": read_sections,
    "ncci_mue_practitioner.csv": read_ncci_csv,
    "ncci_ptp_practitioner.csv": read_ncci_csv,
    "payer_policies.yaml": read_payer_policies,
    "plan_of_care.yaml": read_plan_of_care,
    "supervision_cosign.yaml": read_packs,
    "supervision_packs.yaml": read_packs,
    "targeted_review_threshold.yaml": read_dated_parameter,
    "therapy_threshold.yaml": read_dated_parameter,
}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _cms_date(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


# ----- one code's rules -----------------------------------------------------------------------

BILLING_PACKAGE = "otclinic.domain.billing"


def code_tags(info: Any) -> frozenset[str]:
    """What billing rules a code meets: its kind, its group and its particulars."""
    if info is None or not info.known:
        return frozenset({"unknown"})
    tags = {str(info.kind)}
    if info.group:
        tags.add("evaluation" if info.is_evaluation else str(info.group))
    for flag, tag in (
        (info.addon_to, "addon"),
        (info.unlisted, "unlisted"),
        (info.effective_from or info.effective_to, "dated"),
        (info.medicare == "invalid", "medicare_invalid"),
        (info.medicare == "bundled", "medicare_bundled"),
        (len(info.disciplines) < 3, "discipline_limited"),
    ):
        if flag:
            tags.add(tag)
    return frozenset(tags)


def rules_for_code(
    code: str, *, info: Any, rules: list[CatalogEntry], data: list[CatalogEntry]
) -> list[CatalogEntry]:
    """The data entries that name `code`, and the billing rules written in code that apply to
    a code like it (a rule with no `applies_to` applies to every billed code)."""
    tags = code_tags(info)
    named = [entry for entry in data if code in entry.codes]
    general = [
        entry
        for entry in rules
        if entry.where.startswith(BILLING_PACKAGE)
        and (entry.applies_to & tags if entry.applies_to else "unknown" not in tags)
    ]
    return named + general
