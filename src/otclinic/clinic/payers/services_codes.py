"""The clinic's own billing codes: add or change one, remove one (billers and clinic admins).

Each entry is read by the domain's code-table parser, as rules/billing_codes.yaml is, so the
same rules hold and a refusal names the field. Saving what is already saved changes nothing;
each write is one transaction, recorded by the audit trail, and the organization's code table
is rebuilt on its next use.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.payers.adapters import CLINIC_TABLE, code_entry
from otclinic.clinic.payers.models import ClinicBillingCode
from otclinic.clinic.payers.selectors_codes import forget_rulebook, rulebook_for_organization
from otclinic.domain.access import Capability
from otclinic.domain.billing.codebook import (
    BLOCK_MINUTES,
    CODE_PATTERN,
    CodeInfo,
    CodeTableError,
    parse_code_table,
)
from otclinic.domain.billing.rulebook import check_local_codes
from otclinic.domain.codes import Discipline

# "<table>: codes.<code>.<field>: <what is wrong>", as CodeTableError words it.
_PROBLEM = re.compile(r"^[^:]*: codes\.[^.:]*(?:\.(?P<field>\w+))?: (?P<text>.*)$", re.DOTALL)


@transaction.atomic
def clinic_code_save(
    *,
    user: User,
    code: str,
    summary: str,
    source: str,
    kind: str = "timed",
    unit_minutes: int | None = BLOCK_MINUTES,
    disciplines: Iterable[str] | None = None,
    discipline_limit: str = "usual",
    addon_to: Iterable[str] = (),
    effective_from: dt.date | None = None,
    effective_to: dt.date | None = None,
) -> ClinicBillingCode:
    """Add a code to the organization's own table, or change its entry for that code."""
    require(user, Capability.MANAGE_BILLING)
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise ValidationFailed(
            {"code": [f"{code or 'An empty code'} is not a CPT or HCPCS code (e.g. T1015)."]}
        )
    entry = code_entry(
        kind=kind,
        summary=summary.strip(),
        source=source.strip(),
        unit_minutes=BLOCK_MINUTES if unit_minutes is None else unit_minutes,
        disciplines=None if disciplines is None else list(dict.fromkeys(disciplines)),
        discipline_limit=discipline_limit,
        addon_to=list(dict.fromkeys(c.strip().upper() for c in addon_to if c.strip())),
        effective_from=effective_from,
        effective_to=effective_to,
    )
    info = _checked(organization_id_of(user), code, entry)
    values = {
        "summary": entry["summary"],
        "source": entry["source"],
        "kind": kind,
        "unit_minutes": info.unit_minutes if kind == "timed" else BLOCK_MINUTES,
        "disciplines": [d.value for d in Discipline if d in info.disciplines],
        "discipline_limit": info.discipline_limit,
        "addon_to": list(info.addon_to),
        "effective_from": info.effective_from,
        "effective_to": info.effective_to,
    }
    saved = _upsert(user, code, values)
    _forget(organization_id_of(user))
    return saved


def _checked(organization_id: uuid.UUID, code: str, entry: dict[str, Any]) -> CodeInfo:
    """The entry as the billing check will read it, or the refusal on the field it names."""
    try:
        table = parse_code_table({"codes": {code: entry}}, name=CLINIC_TABLE, local=True)
        check_local_codes(rulebook_for_organization(organization_id), table, name=CLINIC_TABLE)
    except CodeTableError as exc:
        raise ValidationFailed(field_errors(exc)) from exc
    return table.codes[code]


def field_errors(exc: CodeTableError) -> dict[str, list[str]]:
    """A code table's refusal as one message on the field it names (`code` for the code)."""
    match = _PROBLEM.match(str(exc))
    if match is None:
        return {"code": [str(exc)]}
    text = match["text"]
    return {match["field"] or "code": [text[:1].upper() + text[1:] + "."]}


def _upsert(user: User, code: str, values: dict[str, Any]) -> ClinicBillingCode:
    existing = _locked(organization_id_of(user), code)
    if existing is None:
        row = ClinicBillingCode(
            organization_id=organization_id_of(user), code=code, added_by=user, **values
        )
        try:
            with transaction.atomic():
                validated_save(row)
                return row
        except IntegrityError:
            # Another request added the same code a moment ago: change that one instead.
            existing = _locked(organization_id_of(user), code)
            if existing is None:
                raise
    if all(getattr(existing, name) == value for name, value in values.items()):
        return existing  # the same entry again: nothing to write, nothing to audit
    for name, value in values.items():
        setattr(existing, name, value)
    validated_save(existing)
    return existing


def _locked(organization_id: uuid.UUID, code: str) -> ClinicBillingCode | None:
    return (
        ClinicBillingCode.objects.for_org(organization_id)
        .select_for_update()
        .filter(code=code)
        .first()
    )


@transaction.atomic
def clinic_code_remove(*, user: User, code: str) -> bool:
    """Remove a code from the organization's own table; False when it was not there.

    Notes that bill it then meet `codes.unknown` again (or the shipped entry, for a code the
    clinic's entry replaced); charges already made keep their lines.
    """
    require(user, Capability.MANAGE_BILLING)
    existing = _locked(organization_id_of(user), code.strip().upper())
    if existing is None:
        return False
    existing.delete()  # the audit trail records the deletion
    _forget(organization_id_of(user))
    return True


def _forget(organization_id: uuid.UUID) -> None:
    """This process forgets the organization's book now and again once the write commits (a
    request that read the table meanwhile may have kept the old one)."""
    forget_rulebook(organization_id)
    transaction.on_commit(lambda: forget_rulebook(organization_id))
