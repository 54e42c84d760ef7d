"""Payer rows as the domain's payer policy (the clinic's settings become the first override),
and the clinic's own codes as a code table."""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from otclinic.clinic.payers.models import ClinicBillingCode, Payer
from otclinic.domain.billing.codebook import CodeInfo, CodeTable, CodeTableError, parse_code_table
from otclinic.domain.codes import AssistantModifierPolicy, PayerPlan, UnitMethod
from otclinic.domain.compliance.payer_policy import PayerPolicy, PolicyOverride, resolve_policy

logger = logging.getLogger(__name__)


def payer_override(payer: Payer) -> PolicyOverride:
    """What this clinic set for this payer; blank fields leave the shipped policy in force."""
    return PolicyOverride(
        name=f"clinic setting for payer {payer.payer_id}",
        payer_ids=frozenset({payer.payer_id}),
        unit_method=UnitMethod(payer.unit_method) if payer.unit_method else None,
        assistant_modifier=(
            AssistantModifierPolicy(payer.assistant_modifier_policy)
            if payer.assistant_modifier_policy
            else None
        ),
        progress_interval=payer.progress_interval_days,
    )


def policy_for_payer(payer: Payer | None) -> PayerPolicy:
    """The resolved policy for a payer row; self-pay when there is none."""
    if payer is None:
        return resolve_policy(plan=PayerPlan.SELF_PAY)
    return resolve_policy(
        plan=PayerPlan(payer.plan_kind), payer_id=payer.payer_id, overrides=(payer_override(payer),)
    )


# The clinic's own codes, as entries of a code table in the format of rules/billing_codes.yaml.

CLINIC_TABLE = "the clinic's code table"


def code_entry(
    *,
    kind: str,
    summary: str,
    source: str,
    unit_minutes: int | None = None,
    disciplines: Iterable[str] | None = None,
    discipline_limit: str = "",
    addon_to: Iterable[str] = (),
    effective_from: dt.date | None = None,
    effective_to: dt.date | None = None,
) -> dict[str, Any]:
    """One entry of a code table as the domain's parser reads it; blanks are left out."""
    entry: dict[str, Any] = {"kind": kind, "summary": summary, "source": source}
    optional = {
        "unit_minutes": unit_minutes if kind == "timed" else None,
        "disciplines": None if disciplines is None else list(disciplines),
        "discipline_limit": discipline_limit or None,
        "addon_to": list(addon_to) or None,
        "effective_from": effective_from,
        "effective_to": effective_to,
    }
    entry.update({k: v for k, v in optional.items() if v is not None})
    return entry


def entry_of(row: ClinicBillingCode) -> dict[str, Any]:
    """A saved code as its code-table entry."""
    return code_entry(
        kind=row.kind,
        summary=row.summary,
        source=row.source,
        unit_minutes=row.unit_minutes,
        disciplines=row.disciplines,
        discipline_limit=row.discipline_limit,
        addon_to=row.addon_to,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
    )


def code_info_of(row: ClinicBillingCode) -> CodeInfo:
    """A saved code as the billing check reads it; CodeTableError if the parser refuses it."""
    table = parse_code_table({"codes": {row.code: entry_of(row)}}, name=CLINIC_TABLE, local=True)
    return table.codes[row.code]


def code_table_of(rows: Iterable[ClinicBillingCode]) -> CodeTable:
    """The clinic's codes as a code table; an entry the parser refuses is left out and logged
    (rows are checked when saved, so only a stricter parser since then can refuse one)."""
    codes: dict[str, CodeInfo] = {}
    for row in rows:
        try:
            codes[row.code] = code_info_of(row)
        except CodeTableError as exc:
            logger.warning("clinic billing code %s left out of the code table: %s", row.pk, exc)
    return CodeTable(codes=codes, families={})
