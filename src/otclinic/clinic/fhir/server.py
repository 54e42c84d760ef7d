"""Reading and searching: one resource by id, a searchset Bundle with paging and includes.

Pure of HTTP: the views (views.py) hand in the caller's access, the query and the base URLs,
and map the exceptions to OperationOutcomes.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q

from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.fhir import mappers_people
from otclinic.clinic.fhir import params as p
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.fhir.shapes import Ctx
from otclinic.clinic.fhir.sources import ResourceType, Source
from otclinic.domain.fhir.outcome import searchset
from otclinic.domain.fhir.search import BadParameter, parse_count, parse_offset

# Parameters every type takes, or that steer the search rather than filter it.
CONTROL = frozenset({"_count", "_offset", "_include", "_revinclude"})
COMMON = {"_id": "token", "_lastUpdated": "date"}
_SIGNED_FIELDS = ("note", "evaluation", "progress_report", "discharge", "plan")


def resource_type_get(name: str) -> ResourceType:
    try:
        return TYPES[name]
    except KeyError as exc:
        raise NotFoundForUser(f"this server does not serve {name}") from exc


def read(*, access: FhirAccess, resource_type: str, resource_id: str, ctx: Ctx) -> dict[str, Any]:
    """One resource the caller may read, or NotFoundForUser (missing, foreign, not theirs)."""
    served = resource_type_get(resource_type)
    for source in served.sources:
        try:
            row = source.rows(access, resource_type).filter(pk=resource_id).first()
        except (ValueError, ValidationError, ObjectDoesNotExist):
            row = None
        if row is not None:
            saw(source.patient_ids(row), f"FHIR {resource_type}")
            return source.mapper(row, ctx)
    raise NotFoundForUser(f"no such {resource_type}")


@dataclass(frozen=True)
class Query:
    """The search's parameters as sent: (name, value) pairs, repeated names kept."""

    pairs: list[tuple[str, str]]

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def one(self, name: str) -> str | None:
        found = self.values(name)
        if len(found) > 1:
            raise BadParameter(name, "give it once")
        return found[0] if found else None


def _filtered(source: Source, rows: Any, query: Query, served: ResourceType) -> Any:
    common = {"_id": p.ids(), "_lastUpdated": p.date("updated_at", is_datetime=True)}
    for name, value in query.pairs:
        if name in CONTROL:
            continue
        if ":" in name:
            raise BadParameter(name, "modifiers are not supported")
        apply = common.get(name) or source.params.get(name)
        if apply is None:
            if name not in served.search:
                raise BadParameter(name, f"not a search parameter of {served.name}")
            return rows.none()
        rows = apply(rows, name, value)
    return rows


def _page(
    served: ResourceType, access: FhirAccess, query: Query, *, offset: int, count: int
) -> tuple[int, list[tuple[Source, Any]]]:
    """The total over every source, and the rows of the page [offset, offset + count)."""
    total, page = 0, list[tuple[Source, Any]]()
    for source in served.sources:
        rows = _filtered(source, source.rows(access, served.name), query, served)
        size = rows.count()
        start = max(offset - total, 0)
        room = count - len(page)
        if room > 0 and start < size:
            page += [(source, row) for row in rows[start : start + room]]
        total += size
    return total, page


def _includes(served: ResourceType, query: Query) -> tuple[bool, bool, list[str]]:
    """Whether the patients are to be included, the signatures' Provenance, and which of the
    type's other includes (`PractitionerRole:practitioner`)."""
    patient, others = False, list[str]()
    for value in query.values("_include"):
        if value in served.includes:
            others.append(value)
            continue
        if (
            value not in {f"{served.name}:patient", f"{served.name}:subject"}
            or served.name == "Patient"
        ):
            raise BadParameter("_include", f"{value!r} is not supported for {served.name}")
        patient = True
    provenance = False
    for value in query.values("_revinclude"):
        if value != "Provenance:target" or not served.revinclude_provenance:
            raise BadParameter("_revinclude", f"{value!r} is not supported for {served.name}")
        provenance = True
    return patient, provenance, others


def _included(
    access: FhirAccess, target: str, ids: set[object], ctx: Ctx
) -> list[tuple[str, dict[str, Any]]]:
    """The resources of type `target` with these ids that the caller may read."""
    found = []
    for source in TYPES[target].sources:
        for row in source.rows(access, target).filter(pk__in=ids):
            found.append((f"{ctx.base}/{target}/{row.pk}", source.mapper(row, ctx)))
    return found


def _provenance(
    access: FhirAccess, ids: list[object], ctx: Ctx
) -> list[tuple[str, dict[str, Any]]]:
    source = TYPES["Provenance"].sources[0]
    targets = Q(addendum__note_id__in=ids)
    for name in _SIGNED_FIELDS:
        targets |= Q(**{f"{name}_id__in": ids})
    rows = source.rows(access, "Provenance").filter(targets)
    return [(f"{ctx.base}/Provenance/{row.pk}", source.mapper(row, ctx)) for row in rows]


def search(*, access: FhirAccess, resource_type: str, query: Query, ctx: Ctx) -> dict[str, Any]:
    served = resource_type_get(resource_type)
    count, offset = parse_count(query.one("_count")), parse_offset(query.one("_offset"))
    with_patients, with_provenance, others = _includes(served, query)
    total, page = _page(served, access, query, offset=offset, count=count)
    shown: set[object] = set()
    matches = []
    for source, row in page:
        shown.update(source.patient_ids(row))
        matches.append((f"{ctx.base}/{resource_type}/{row.pk}", source.mapper(row, ctx)))
    included = []
    if with_patients and shown:
        patients = access.patients("Patient").filter(pk__in=shown)
        included += [
            (f"{ctx.base}/Patient/{p.pk}", mappers_people.patient(p, ctx)) for p in patients
        ]
    if with_provenance and page:
        included += _provenance(access, [row.pk for _, row in page], ctx)
    for value in dict.fromkeys(others):
        target, attribute = served.includes[value]
        wanted = {getattr(row, attribute) for _, row in page}
        included += _included(access, target, wanted, ctx) if wanted else []
    saw(shown, f"FHIR {resource_type} search")
    return searchset(
        total=total,
        links=_links(ctx, resource_type, query, offset=offset, count=count, total=total),
        matches=matches,
        included=included,
    )


def _links(
    ctx: Ctx, resource_type: str, query: Query, *, offset: int, count: int, total: int
) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in query.pairs if k not in {"_count", "_offset"}]

    def url(at: int) -> str:
        return f"{ctx.base}/{resource_type}?" + urlencode(
            [*kept, ("_count", str(count)), ("_offset", str(at))]
        )

    links = [("self", url(offset)), ("first", url(0))]
    if offset + count < total and count > 0:
        links.append(("next", url(offset + count)))
    if offset > 0:
        links.append(("previous", url(max(offset - count, 0))))
    return links
