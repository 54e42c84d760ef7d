"""Search parameters as filters on a source's rows (the values parsed by domain.fhir.search).

Each builder returns a `Filter`: (rows, parameter name, one value) -> rows. Several values of
one parameter (`date=ge..&date=le..`) are applied one after another (AND); a comma in a
value is OR (R4 sec. 3.1.1.5), for tokens and references.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from otclinic.domain.fhir.search import (
    BadParameter,
    DateRange,
    Prefix,
    parse_date,
    parse_reference,
    parse_token,
)

Filter = Callable[[QuerySet[Any], str, str], QuerySet[Any]]


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def ids(field: str = "pk", *, resource_type: str | None = None) -> Filter:
    """`_id`, or a reference to a resource by id (`patient=Patient/…`): an id that is not one
    of ours matches nothing."""

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        wanted = [
            parse_reference(name, v, resource_type=resource_type)
            if resource_type
            else v.rstrip("/").split("/")[-1]
            for v in value.split(",")
        ]
        return rows.filter(**{f"{field}__in": [u for w in wanted if (u := _uuid(w))]})

    return apply


def patient(path: str) -> Filter:
    return ids(f"{path}_id" if path != "pk" else "pk", resource_type="Patient")


def subject(path: str) -> dict[str, Filter]:
    """`patient` and `subject`: the patient at `path` from the row ("episode__patient")."""
    return {"patient": patient(path), "subject": patient(path)}


def _date_q(field: str, when: DateRange) -> Q:
    start, end = when.start, when.end
    match when.prefix:
        case Prefix.EQ:
            return Q(**{f"{field}__gte": start, f"{field}__lt": end})
        case Prefix.NE:
            return ~Q(**{f"{field}__gte": start, f"{field}__lt": end})
        case Prefix.GT | Prefix.SA:
            return Q(**{f"{field}__gte": end})
        case Prefix.LT | Prefix.EB:
            return Q(**{f"{field}__lt": start})
        case Prefix.GE:
            return Q(**{f"{field}__gte": start})
        case Prefix.LE:
            return Q(**{f"{field}__lt": end})


def date(field: str, *, is_datetime: bool = False) -> Filter:
    """A date parameter on a DateField (or, `is_datetime`, on the day of a DateTimeField)."""
    target = f"{field}__date" if is_datetime else field

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return rows.filter(_date_q(target, parse_date(name, value)))

    return apply


def mapped(field: str, mapping: Mapping[Any, str]) -> Filter:
    """A token whose FHIR codes are those `mapping` gives otclinic's values (status maps)."""

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        codes = {parse_token(name, v).code for v in value.split(",")}
        known = set(mapping.values())
        if not codes <= known:
            raise BadParameter(name, f"unknown code; use one of {', '.join(sorted(known))}")
        values = [k for k, v in mapping.items() if v in codes]
        if field.endswith("__isnull"):  # a flag: each value is its own condition
            match = Q(pk__in=[])
            for value in values:
                match |= Q(**{field: value})
            return rows.filter(match)
        return rows.filter(**{f"{field}__in": values})

    return apply


def fixed(system: str, codes: Iterable[str]) -> Filter:
    """A token every row of the source carries (a category): all rows or none."""
    served = frozenset(codes)

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        tokens = [parse_token(name, v) for v in value.split(",")]
        if any(t.code in served and t.system in (None, system) for t in tokens):
            return rows
        return rows.none()

    return apply


def code(field: str, system: str | None) -> Filter:
    """A token on a code column (`http://loinc.org|11507-1`, `97530`); `system` None: the
    column's system is the organization's own (an MRN), and any system given is accepted."""

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        tokens = [parse_token(name, v) for v in value.split(",")]
        wanted = [
            t.code for t in tokens if t.code and (system is None or t.system in (None, system))
        ]
        return rows.filter(**{f"{field}__in": wanted})

    return apply


def code_of_columns(
    fields: tuple[str, str], system: str, codes: Mapping[tuple[str, str], tuple[str, str]]
) -> Filter:
    """A token whose code stands for values of several columns (`codes`: values -> (code,
    display)), such as a LOINC code for an instrument on one side."""

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        tokens = [parse_token(name, v) for v in value.split(",")]
        wanted = {t.code for t in tokens if t.code and t.system in (None, system)}
        match = Q(pk__in=[])
        for values, (code, _display) in codes.items():
            if code in wanted:
                match |= Q(**dict(zip(fields, values, strict=True)))
        return rows.filter(match)

    return apply


def string(*fields: str) -> Filter:
    """A string parameter: starts with the value, ignoring case, in any of `fields`."""

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value.strip():
            raise BadParameter(name, "a value is needed")
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__istartswith": value.strip()})
        return rows.filter(match)

    return apply


def any_of(*filters: Filter) -> Filter:
    """OR of several filters' matches (one parameter over several columns)."""

    def apply(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        found = rows.none()
        for f in filters:
            found = found | f(rows, name, value)
        return found

    return apply


def none_match(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    """A parameter the type serves that this source's rows can never match."""
    return rows.none()
