"""Reads of the clinic's own billing codes, and the code table the billing check uses for an
organization: otclinic's shipped table with the clinic's codes added (`rulebook_for_organization`).

The book is built once per organization and kept while its stamp (how many codes, and when the
last was changed: one small query) stays the same, so a billing run over many notes does not
rebuild it per note. Another process sees a change by the stamp; this process also forgets the
book as soon as a service writes (`forget_rulebook`).
"""

import datetime as dt
import threading
import uuid
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.payers.adapters import code_info_of, code_table_of
from otclinic.clinic.payers.models import ClinicBillingCode
from otclinic.domain.access import Capability
from otclinic.domain.billing.codebook import CodeInfo, CodeKind, CodeTableError
from otclinic.domain.billing.rulebook import RuleBook, default_rulebook, with_local_codes
from otclinic.domain.codes import Discipline

Stamp = tuple[int, dt.datetime | None]
MAX_BOOKS = 256  # organizations whose books are kept; the oldest goes first

_books: dict[str, tuple[Stamp, RuleBook]] = {}
_books_lock = threading.Lock()


def rulebook_for_organization(organization_id: uuid.UUID | str) -> RuleBook:
    """The billing check's tables for one organization: the shipped book when it has no codes
    of its own, else the shipped book with its codes added (its entry replaces a shipped one)."""
    stamp = _stamp(organization_id)
    if stamp[0] == 0:
        return default_rulebook()
    key = str(organization_id)
    kept = _books.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    table = code_table_of(ClinicBillingCode.objects.for_org(organization_id))
    book = with_local_codes(default_rulebook(), table)
    with _books_lock:
        _books.pop(key, None)
        while len(_books) >= MAX_BOOKS:
            _books.pop(next(iter(_books)))
        _books[key] = (stamp, book)
    return book


def forget_rulebook(organization_id: uuid.UUID | str) -> None:
    """Drop this process's book for an organization (its codes changed)."""
    with _books_lock:
        _books.pop(str(organization_id), None)


def _stamp(organization_id: uuid.UUID | str) -> Stamp:
    row = ClinicBillingCode.objects.for_org(organization_id).aggregate(
        count=Count("id"), latest=Max("updated_at")
    )
    return (row["count"], row["latest"])


# The Billing codes page


def clinic_codes_for_user(*, user: User) -> QuerySet[ClinicBillingCode]:
    """The codes the user's organization added; billers and clinic admins only."""
    require(user, Capability.VIEW_BILLING)
    return ClinicBillingCode.objects.for_org(user.organization_id).select_related("added_by")


def clinic_code_get_for_user(*, user: User, code_id: uuid.UUID | str) -> ClinicBillingCode:
    """One of the organization's own codes, or 404 (another organization's too)."""
    try:
        return clinic_codes_for_user(user=user).get(pk=code_id)
    except (ClinicBillingCode.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such billing code") from exc


@dataclass(frozen=True, slots=True)
class CodeRow:
    """What the page shows of one code, in words."""

    code: str
    summary: str
    units: str
    billed_by: str
    firm: bool
    addon_to: str
    listed: str
    dates: tuple[str, ...]
    medicare: str
    citation: str
    confidence: str


LISTED = {"always": "Always therapy", "sometimes": "Sometimes therapy", "none": "Not listed"}


def code_row(info: CodeInfo) -> CodeRow:
    """One code of a table as the page shows it."""
    return CodeRow(
        code=info.code,
        summary=info.summary,
        units=_units(info),
        billed_by=", ".join(d.value for d in Discipline if d in info.disciplines) or "None",
        firm=info.discipline_limit == "firm",
        addon_to=", ".join(info.addon_to),
        listed="" if info.local else LISTED.get(info.listed, info.listed),
        dates=_dates(info),
        medicare={"bundled": "Medicare: bundled", "invalid": "Medicare: not valid"}.get(
            info.medicare or "", ""
        ),
        citation=info.citation,
        confidence="" if info.local else info.confidence,
    )


def _units(info: CodeInfo) -> str:
    if info.kind is CodeKind.TIMED:
        return "Timed (15 min)"
    if info.kind is CodeKind.TIME_UNITS:
        return f"Timed ({info.unit_minutes} min)"
    if info.kind is CodeKind.STEPPED:
        return "Timed (at set minutes)"
    if info.minimum_minutes > 1:
        return f"Untimed (from {info.minimum_minutes} min)"
    return "Untimed"


def _dates(info: CodeInfo) -> tuple[str, ...]:
    parts = []
    if info.effective_from:
        parts.append(f"from {info.effective_from.isoformat()}")
    if info.effective_to:
        parts.append(f"until {info.effective_to.isoformat()}")
    if info.replacement:
        parts.append(f"use {info.replacement}")
    return tuple(parts)


def shipped_codes_for_user(*, user: User, query: str = "") -> list[CodeRow]:
    """otclinic's own code table, in code order, narrowed to the codes whose number or words
    hold every word of `query`."""
    require(user, Capability.VIEW_BILLING)
    words = query.lower().split()
    return [
        code_row(info)
        for code, info in sorted(default_rulebook().codes.items())
        if all(w in f"{code} {info.summary}".lower() for w in words)
    ]


@dataclass(frozen=True, slots=True)
class OwnCode:
    """One of the clinic's codes on the page: the saved row, how it reads, whether it replaces
    a shipped entry, and what is wrong with it if the code table no longer accepts it."""

    record: ClinicBillingCode
    row: CodeRow | None
    replaces_shipped: bool
    problem: str = ""


def clinic_code_rows_for_user(*, user: User) -> list[OwnCode]:
    """The organization's own codes as the page shows them."""
    shipped = default_rulebook().codes
    rows = []
    for record in clinic_codes_for_user(user=user):
        replaces = record.code in shipped
        try:
            info = code_info_of(record)
        except CodeTableError as exc:
            rows.append(OwnCode(record, None, replaces, problem=str(exc)))
        else:
            rows.append(OwnCode(record, code_row(info), replaces))
    return rows
