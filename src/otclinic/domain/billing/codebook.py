"""The table of codes the billing check knows (rules/billing_codes.yaml), and a clinic's own.

Each code says how it earns units, who bills it, its add-on parent, the dates it exists and the
source it comes from. A code that is in neither the shipped table nor the clinic's own is not
billed at all: `unknown_code` stands in for it so that the check can name it in an error.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from otclinic.domain.billing.yamlfile import read_yaml
from otclinic.domain.codes import Discipline

CODE_PATTERN = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4})$")
BLOCK_MINUTES = 15
CONFIDENCES = ("firm", "likely", "check")
LIST_DESIGNATIONS = ("always", "sometimes", "none")
STEP_KEYS = ("base_minutes", "base_threshold", "addon_minutes", "addon_threshold")


class CodeKind(StrEnum):
    """How a code earns units."""

    TIMED = "timed"  # 15-minute units, counted together under MCPM ch. 5 sec. 20.2
    TIME_UNITS = "time_units"  # units of another length (per hour), each code on its own
    UNTIMED = "untimed"  # one unit when the service has any minutes
    STEPPED = "stepped"  # a base code and add-on units earned at set minutes (a family)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What the billing check knows about one code."""

    code: str
    kind: CodeKind
    summary: str = ""
    group: str | None = None
    family: str | None = None
    role: str | None = None
    discipline: str | None = None  # the one discipline an evaluation code belongs to
    disciplines: frozenset[str] = frozenset(Discipline)
    discipline_limit: str = "usual"
    addon_to: tuple[str, ...] = ()
    unit_minutes: int = BLOCK_MINUTES
    minimum_minutes: int = 1
    medicare: str | None = None
    replacement: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    listed: str = "none"  # the code's designation on CMS's therapy code list
    unlisted: bool = False  # an "unlisted procedure" code, priced by report
    citation: str = ""
    confidence: str = "likely"
    local: bool = False  # from the clinic's own table, not the shipped one
    known: bool = True

    @property
    def is_evaluation(self) -> bool:
        return self.group in {"evaluation", "reevaluation"}

    @property
    def is_addon(self) -> bool:
        return bool(self.addon_to)

    def in_force_on(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


def unknown_code(code: str) -> CodeInfo:
    """The stand-in for a well-formed code that is in no code table: it earns nothing."""
    return CodeInfo(code=code, kind=CodeKind.UNTIMED, known=False)


@dataclass(frozen=True, slots=True)
class Family:
    """A base code and its add-on, billed from one pool of minutes entered under the base.

    `pooled`: the pool is counted as 15-minute timed minutes (the base takes the first unit).
    Otherwise `parameter` names the dated parameter file and `steps` holds fixed minutes
    (base_minutes, base_threshold, addon_minutes, addon_threshold); one of the two is set.
    """

    name: str
    base: str
    addon: str
    pooled: bool
    parameter: str | None = None
    steps: dict[str, int] = field(default_factory=dict)
    citation: str = ""
    confidence: str = "likely"


@dataclass(frozen=True, slots=True)
class CodeTable:
    """A code table as read: its codes, families and where the list comes from."""

    codes: dict[str, CodeInfo]
    families: dict[str, Family]
    list_name: str = ""
    list_year: int | None = None
    reference: str = ""


class CodeTableError(ValueError):
    """A code table entry that cannot be used, naming the code and the field."""


def load_codebook(path: Path) -> dict[str, CodeInfo]:
    """The codes of a table in the format of rules/billing_codes.yaml."""
    return load_code_table(path).codes


def load_code_table(path: Path, *, local: bool = False) -> CodeTable:
    """Read a code table file (the shipped one, or a clinic's own in the same format)."""
    return parse_code_table(read_yaml(path), name=path.name, local=local)


def parse_code_table(data: dict[str, Any], *, name: str, local: bool = False) -> CodeTable:
    """A code table from its mapping; every problem names the code and the field.

    A clinic's own table (`local`) must also say what each code is and where it comes from
    (`summary`, `source`), and name at least one discipline that bills it.
    """
    sources = {str(k): str(v) for k, v in _mapping(data, "sources", name).items()}
    default_confidence = str(data.get("confidence", "likely"))
    families = {
        str(key): _family(str(key), raw, sources, default_confidence, name)
        for key, raw in _mapping(data, "families", name).items()
    }
    membership = {}
    for family in families.values():
        membership[family.base] = (family, "base")
        membership[family.addon] = (family, "addon")
    codes = {}
    for code, raw in _mapping(data, "codes", name).items():
        info = _code_info(
            str(code), raw, sources=sources, confidence=default_confidence, where=name, local=local
        )
        codes[info.code] = _with_family(info, membership.get(info.code))
    listing = data.get("list") or {}
    return CodeTable(
        codes=codes,
        families=families,
        list_name=str(listing.get("name", "")),
        list_year=listing.get("year"),
        reference=str(data.get("reference", "")),
    )


def _mapping(data: dict[str, Any], key: str, where: str) -> dict[Any, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise CodeTableError(f"{where}: {key}: must be a mapping")
    return value


def _family(key: str, raw: Any, sources: dict[str, str], confidence: str, where: str) -> Family:
    if not isinstance(raw, dict) or "base" not in raw or "addon" not in raw:
        raise CodeTableError(f"{where}: families.{key}: a mapping with a base and an addon code")
    units = raw.get("units")
    source = str(raw.get("source", ""))
    base, addon = str(raw["base"]), str(raw["addon"])
    citation = sources.get(source, source)
    sure = str(raw.get("confidence", confidence))
    if units == "pooled":
        return Family(key, base, addon, pooled=True, citation=citation, confidence=sure)
    if isinstance(units, str):
        return Family(
            key, base, addon, pooled=False, parameter=units, citation=citation, confidence=sure
        )
    if isinstance(units, dict) and set(units) == set(STEP_KEYS):
        steps = {k: int(v) for k, v in units.items()}
        return Family(
            key, base, addon, pooled=False, steps=steps, citation=citation, confidence=sure
        )
    raise CodeTableError(
        f"{where}: families.{key}.units: 'pooled', a parameter file name, or the minutes "
        f"{', '.join(STEP_KEYS)}"
    )


def _code_info(
    code: str,
    raw: Any,
    *,
    sources: dict[str, str],
    confidence: str,
    where: str,
    local: bool,
) -> CodeInfo:
    if not CODE_PATTERN.match(code):
        raise CodeTableError(f"{where}: codes.{code}: not a CPT or HCPCS code")
    if not isinstance(raw, dict):
        raise CodeTableError(f"{where}: codes.{code}: must be a mapping")
    _check_entry(code, raw, where)
    if local:
        _check_local_entry(code, raw, where)
    kind = str(raw["kind"])
    unit_minutes = int(raw.get("unit_minutes", BLOCK_MINUTES))
    disciplines = raw.get("disciplines")
    source = str(raw.get("source", "therapy_list"))
    evaluation = raw.get("group") in {"evaluation", "reevaluation"}
    chosen = _disciplines(disciplines, f"{where}: codes.{code}.disciplines")
    starts = _date(raw.get("effective_from"), f"{where}: codes.{code}.effective_from")
    ends = _date(raw.get("effective_to"), f"{where}: codes.{code}.effective_to")
    if starts and ends and ends < starts:
        raise CodeTableError(
            f"{where}: codes.{code}.effective_to: {ends} is before effective_from ({starts})"
        )
    return CodeInfo(
        code=code,
        kind=_kind(kind, unit_minutes),
        summary=str(raw.get("summary", "")),
        group=raw.get("group"),
        discipline=next(iter(chosen)) if evaluation and chosen and len(chosen) == 1 else None,
        disciplines=chosen if chosen is not None else frozenset(Discipline),
        discipline_limit=str(raw.get("discipline_limit", "usual")),
        addon_to=tuple(str(c) for c in raw.get("addon_to") or ()),
        unit_minutes=unit_minutes,
        minimum_minutes=int(raw.get("minimum_minutes", 1)),
        medicare=raw.get("medicare"),
        replacement=None if raw.get("replacement") is None else str(raw["replacement"]),
        effective_from=starts,
        effective_to=ends,
        listed=str(raw.get("list", "none")),
        unlisted=bool(raw.get("unlisted", False)),
        citation=sources.get(source, source),
        confidence=str(raw.get("confidence", confidence)),
        local=local,
    )


_CHOICES = {
    "kind": ("timed", "untimed"),
    "list": LIST_DESIGNATIONS,
    "confidence": CONFIDENCES,
    "discipline_limit": ("firm", "usual"),
    "medicare": ("bundled", "invalid"),
}


def _check_entry(code: str, raw: dict[str, Any], where: str) -> None:
    """Refuse an entry the check could not use, naming the code and the field."""
    if "kind" not in raw:
        raise CodeTableError(f"{where}: codes.{code}.kind: timed or untimed")
    for name, allowed in _CHOICES.items():
        if name in raw and raw[name] not in allowed:
            raise CodeTableError(f"{where}: codes.{code}.{name}: one of {', '.join(allowed)}")
    for name in ("unit_minutes", "minimum_minutes"):
        value = raw.get(name, 1)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 480:
            raise CodeTableError(f"{where}: codes.{code}.{name}: a whole number of minutes, 1-480")
    parents = raw.get("addon_to") or ()
    if not isinstance(parents, list | tuple):
        raise CodeTableError(f"{where}: codes.{code}.addon_to: a list of primary codes")
    for parent in parents:
        if not CODE_PATTERN.match(str(parent)):
            raise CodeTableError(f"{where}: codes.{code}.addon_to: {parent} is not a code")
        if str(parent) == code:
            raise CodeTableError(f"{where}: codes.{code}.addon_to: a code is not its own add-on")


def _check_local_entry(code: str, raw: dict[str, Any], where: str) -> None:
    """What a clinic's own entry must also say: what the code is, where it comes from, and
    who bills it (the shipped table may list a code nobody here bills; a clinic's may not)."""
    if not str(raw.get("summary") or "").strip():
        raise CodeTableError(f"{where}: codes.{code}.summary: say what the code is for")
    if not str(raw.get("source") or "").strip():
        raise CodeTableError(
            f"{where}: codes.{code}.source: say where the code comes from (the payer's "
            "bulletin, the state Medicaid fee schedule...)"
        )
    if "disciplines" in raw and not raw["disciplines"]:
        raise CodeTableError(f"{where}: codes.{code}.disciplines: at least one of OT, PT or SLP")


def _disciplines(raw: Any, where: str) -> frozenset[Discipline] | None:
    if raw is None:
        return None
    if not isinstance(raw, list | tuple):
        raise CodeTableError(f"{where}: a list of OT, PT or SLP")
    try:
        return frozenset(Discipline(str(d)) for d in raw)
    except ValueError:
        raise CodeTableError(f"{where}: OT, PT or SLP") from None


def _kind(kind: str, unit_minutes: int) -> CodeKind:
    if kind == "untimed":
        return CodeKind.UNTIMED
    return CodeKind.TIMED if unit_minutes == BLOCK_MINUTES else CodeKind.TIME_UNITS


def _with_family(info: CodeInfo, member: tuple[Family, str] | None) -> CodeInfo:
    """A family member knows its family and role; the add-on knows its base; a family whose
    units are not pooled counts its own way (stepped)."""
    if member is None:
        return info
    family, role = member
    kind = info.kind if family.pooled else CodeKind.STEPPED
    addon_to = (family.base,) if role == "addon" else info.addon_to
    return replace(info, family=family.name, role=role, kind=kind, addon_to=addon_to)


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CodeTableError(f"{where}: not a date (YYYY-MM-DD)") from None
