"""The billing check's JSON door, shared by the CLI and the HTTP API so their bytes agree.

`parse_visit` turns the contract's input document into a `Visit`, or raises `InputProblems`
with one line per problem naming its field (`lines[0].assistant_minutes: must be a whole number
>= 0`); line indexes count from 0, as in JSON paths. `check_visit_json` is bytes in, bytes out.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from otclinic.domain.billing.codebook import CODE_PATTERN
from otclinic.domain.billing.engine import check_visit
from otclinic.domain.billing.model import ServiceLine, Visit
from otclinic.domain.billing.rulebook import RuleBook
from otclinic.domain.codes import Discipline, PayerPlan, Setting, UnitMethod
from otclinic.domain.compliance.findings import InputProblems
from otclinic.domain.compliance.jsonio import dump_bytes, load_document

MAX_MINUTES = 24 * 60
MAX_LINES = 100
MAX_AMOUNT = Decimal("1000000")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMOUNT_PATTERN = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
VISIT_FIELDS = (
    "date_of_service",
    "payer_plan",
    "unit_method",
    "discipline",
    "setting",
    "ytd_allowed",
    "patient_present",
    "caregiver_consent",
    "lines",
)
LINE_FIELDS = (
    "code",
    "therapist_minutes",
    "assistant_minutes",
    "together_minutes",
    "allowed_amount",
    "separate_time_block",
)
MINUTE_FIELDS = ("therapist_minutes", "assistant_minutes", "together_minutes")
E = TypeVar("E", bound=StrEnum)


def check_visit_json(raw: bytes | str, *, rulebook: RuleBook | None = None) -> bytes:
    """The contract's output bytes for one input document; raises InputProblems on bad input.

    `rulebook`: the tables to check with (a clinic's own codes added); the shipped ones if None.
    """
    document, problems = load_document(raw)
    if problems:
        raise InputProblems(problems)
    return dump_bytes(check_visit(parse_visit(document), rulebook=rulebook).as_json())


def errors_json(problems: list[str]) -> bytes:
    """The HTTP API's body for bad input: the same lines the CLI prints on standard error."""
    return dump_bytes({"errors": problems})


def parse_visit(document: Any) -> Visit:
    """A Visit from the contract's input document, or InputProblems naming every bad field."""
    if not isinstance(document, dict):
        raise InputProblems(["input: must be a JSON object (one visit)"])
    problems = [f"{name}: unknown field" for name in document if name not in VISIT_FIELDS]
    visit_date = _date(document, "date_of_service", problems)
    plan = _enum(document, "payer_plan", PayerPlan, problems, default=None)
    method = _enum(document, "unit_method", UnitMethod, problems, default=None)
    discipline = _enum(document, "discipline", Discipline, problems, default=Discipline.OT)
    setting = _enum(document, "setting", Setting, problems, default=Setting.PRIVATE_PRACTICE)
    ytd = _amount(document, "ytd_allowed", problems, "ytd_allowed")
    present = _bool(document, "patient_present", problems, default=True)
    consent = _bool(document, "caregiver_consent", problems, default=False)
    lines = _lines(document.get("lines"), problems)
    if problems or visit_date is None or plan is None:
        raise InputProblems(problems)
    return Visit(
        date_of_service=visit_date,
        payer_plan=plan,
        lines=lines,
        unit_method=method,
        discipline=discipline or Discipline.OT,
        setting=setting or Setting.PRIVATE_PRACTICE,
        ytd_allowed=Decimal("0.00") if ytd is None else ytd,
        patient_present=present,
        caregiver_consent=consent,
    )


def _date(document: dict[str, Any], name: str, problems: list[str]) -> date | None:
    value = document.get(name)
    if value is None:
        problems.append(f"{name}: is required (an ISO date such as 2026-03-12)")
        return None
    try:
        if isinstance(value, str) and DATE_PATTERN.match(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(f"{name}: must be an ISO date such as 2026-03-12, not {json_text(value)}")
    return None


def _enum(
    document: dict[str, Any], name: str, kind: type[E], problems: list[str], *, default: E | None
) -> E | None:
    value = document.get(name)
    if value is None:
        if default is None and name == "payer_plan":
            problems.append(f"{name}: is required (one of {', '.join(kind)})")
        return default
    try:
        return kind(value)
    except ValueError:
        problems.append(f"{name}: must be one of {', '.join(kind)}, not {json_text(value)}")
        return default


def _bool(document: dict[str, Any], name: str, problems: list[str], *, default: bool) -> bool:
    value = document.get(name, default)
    if isinstance(value, bool):
        return value
    problems.append(f"{name}: must be true or false")
    return default


def _amount(document: dict[str, Any], name: str, problems: list[str], path: str) -> Decimal | None:
    value = document.get(name)
    if value is None:
        return None
    if isinstance(value, str) and AMOUNT_PATTERN.match(value):
        try:
            amount = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            amount = MAX_AMOUNT
        if amount < MAX_AMOUNT:
            return amount
    problems.append(f'{path}: must be a decimal string of dollars >= 0 such as "35.10"')
    return None


def _lines(raw: Any, problems: list[str]) -> tuple[ServiceLine, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append("lines: is required (a list of at least one service)")
        return ()
    if len(raw) > MAX_LINES:
        problems.append(f"lines: at most {MAX_LINES} services per visit, not {len(raw)}")
        return ()
    lines = tuple(_line(item, f"lines[{i}]", problems) for i, item in enumerate(raw))
    total = sum(line.minutes for line in lines)
    if total > MAX_MINUTES:
        problems.append(f"lines: minutes add up to {total}, more than 24 hours")
    return lines


def _line(item: Any, path: str, problems: list[str]) -> ServiceLine:
    if not isinstance(item, dict):
        problems.append(f"{path}: must be an object with a code and minutes")
        return ServiceLine(code="")
    problems.extend(f"{path}.{name}: unknown field" for name in item if name not in LINE_FIELDS)
    code = item.get("code")
    if not (isinstance(code, str) and CODE_PATTERN.match(code)):
        problems.append(f"{path}.code: must be a CPT or HCPCS code such as 97530 or G0283")
        code = ""
    minutes = {name: _minutes(item, name, f"{path}.{name}", problems) for name in MINUTE_FIELDS}
    return ServiceLine(
        code=code,
        allowed_amount=_amount(item, "allowed_amount", problems, f"{path}.allowed_amount"),
        separate_time_block=_bool_at(
            item, "separate_time_block", f"{path}.separate_time_block", problems
        ),
        **minutes,
    )


def _minutes(item: dict[str, Any], name: str, path: str, problems: list[str]) -> int:
    value = item.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(f"{path}: must be a whole number >= 0")
        return 0
    if value > MAX_MINUTES:
        problems.append(f"{path}: {value} minutes is more than 24 hours")
        return 0
    return value


def _bool_at(item: dict[str, Any], name: str, path: str, problems: list[str]) -> bool:
    value = item.get(name, False)
    if isinstance(value, bool):
        return value
    problems.append(f"{path}: must be true or false")
    return False


def json_text(value: Any) -> str:
    """A bad value as it appeared in the input, shortened."""
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."
