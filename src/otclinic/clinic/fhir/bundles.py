"""`POST [base]` with a transaction or batch Bundle (FHIR R4 sec. 3.1.0.11).

A transaction is all or nothing in one database transaction: its entries are written in an
order where every `urn:uuid:` an entry references was written before it, each reference to
an entry's `fullUrl` resolves to the record that entry wrote, and the first refusal rolls
everything back and names the entry (`Bundle.entry[2].resource.birthDate`). A batch writes
each entry on its own and answers each entry with its own status: an entry the caller may not
write (its type outside their role or their token's scopes) answers 403 and the others go on.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from otclinic.clinic.fhir import writes
from otclinic.clinic.fhir.references import Resolver
from otclinic.clinic.fhir.refusals import REFUSALS
from otclinic.domain.fhir import input as fin


@dataclass(frozen=True)
class Entry:
    index: int
    method: str
    resource_type: str
    resource_id: str
    full_url: str
    resource: Mapping[str, Any]
    if_none_exist: str | None
    if_match: str | None


class EntryFailed(Exception):
    """One entry refused: `index` names it; `cause` the refusal (Invalid, 404, 409, 412...)."""

    def __init__(self, index: int, cause: Exception) -> None:
        super().__init__(str(cause))
        self.index = index
        self.cause = cause


def _entry(index: int, raw: Any) -> Entry:
    at = f"Bundle.entry[{index}]"
    if not isinstance(raw, Mapping):
        raise fin.Invalid(at, "must be an object")
    request = raw.get("request")
    if not isinstance(request, Mapping):
        raise fin.Invalid(f"{at}.request", "is required")
    method, url = str(request.get("method", "")), str(request.get("url", ""))
    resource_type, _, resource_id = url.split("?")[0].strip("/").partition("/")
    if method not in {"POST", "PUT"} or not resource_type or (method == "PUT") != bool(resource_id):
        raise fin.Invalid(f"{at}.request", "this server takes POST Type and PUT Type/id")
    if resource_type not in writes.CREATE or (
        method == "PUT" and resource_type not in writes.UPDATE
    ):
        raise fin.Invalid(f"{at}.request.url", f"{method} {resource_type} is not supported")
    resource = raw.get("resource")
    if not isinstance(resource, Mapping):
        raise fin.Invalid(f"{at}.resource", "is required")
    return Entry(
        index,
        method,
        resource_type,
        resource_id,
        str(raw.get("fullUrl", "")),
        resource,
        request.get("ifNoneExist"),
        request.get("ifMatch"),
    )


def _urns(value: Any) -> set[str]:
    """Every `urn:uuid:` a resource references."""
    if isinstance(value, Mapping):
        found = set().union(*(_urns(v) for v in value.values())) if value else set()
        ref = value.get("reference")
        if isinstance(ref, str) and ref.startswith("urn:uuid:"):
            found.add(ref)
        return found
    if isinstance(value, list):
        return set().union(*(_urns(v) for v in value)) if value else set()
    return set()


def ordered(entries: list[Entry]) -> list[Entry]:
    """The entries in an order where each comes after the entries whose fullUrl it references
    (else as sent); Invalid for references that go round in a circle."""
    by_url = {e.full_url: e for e in entries if e.full_url.startswith("urn:uuid:")}
    done: list[Entry] = []
    visiting: set[int] = set()

    def visit(entry: Entry) -> None:
        if entry in done:
            return
        if entry.index in visiting:
            raise fin.Invalid(f"Bundle.entry[{entry.index}]", "its references go round in a circle")
        visiting.add(entry.index)
        for urn in sorted(_urns(entry.resource)):
            if urn in by_url:
                visit(by_url[urn])
        done.append(entry)

    for entry in entries:
        visit(entry)
    return done


def _write(refs: Resolver, entry: Entry) -> writes.Written:
    if entry.method == "POST":
        written = writes.create(
            refs=refs,
            resource_type=entry.resource_type,
            resource=entry.resource,
            if_none_exist=entry.if_none_exist,
        )
    else:
        written = writes.update(
            refs=refs,
            resource_type=entry.resource_type,
            resource_id=entry.resource_id,
            resource=entry.resource,
            if_match=entry.if_match,
        )
    if entry.full_url.startswith("urn:uuid:"):
        refs.written[entry.full_url] = written.row
    return written


def entries_of(bundle: Any) -> tuple[str, list[Entry]]:
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise fin.Invalid("Bundle", "send a Bundle")
    kind = bundle.get("type")
    if kind not in {"transaction", "batch"}:
        raise fin.Invalid("Bundle.type", "this server takes transaction and batch Bundles")
    raw = bundle.get("entry") or []
    if not isinstance(raw, list):
        raise fin.Invalid("Bundle.entry", "must be a list")
    return str(kind), [_entry(index, item) for index, item in enumerate(raw)]


def transaction_run(
    refs: Resolver, entries: list[Entry], check: Callable[[Entry], None]
) -> list[writes.Written]:
    """Every entry written, in the order sent; EntryFailed (nothing written) at the first
    refusal. `check` (the caller's right to each entry's write) runs on every entry before
    anything is written."""
    for entry in entries:
        try:
            check(entry)
        except REFUSALS as exc:
            raise EntryFailed(entry.index, exc) from exc
    results: dict[int, writes.Written] = {}
    with transaction.atomic():
        for entry in ordered(entries):
            try:
                results[entry.index] = _write(refs, entry)
            except REFUSALS as exc:
                raise EntryFailed(entry.index, exc) from exc
    return [results[e.index] for e in entries]


def batch_run(
    refs: Resolver,
    entries: list[Entry],
    refused: Callable[[Exception], Any],
    check: Callable[[Entry], None],
) -> list[writes.Written | Any]:
    """Each entry checked (`check` raises the refusal) and written on its own; a refused
    entry's place holds `refused(exc)`, and the others go on."""
    out: list[writes.Written | Any] = []
    for entry in entries:
        try:
            check(entry)
            with transaction.atomic():
                out.append(_write(refs, entry))
        except REFUSALS as exc:
            out.append(refused(exc))
    return out
