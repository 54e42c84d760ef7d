"""The $export kick-off's parameters (Bulk Data Access IG 2.0.0)."""

import datetime as dt

import pytest

from otclinic.domain.fhir.bulk import parse_kickoff, parse_since
from otclinic.domain.fhir.search import BadParameter

KNOWN = ("Patient", "Goal", "Organization")
ALLOWED = ("Patient", "Goal")


def test_no_type_means_every_allowed_type_in_order() -> None:
    assert parse_kickoff([], known=KNOWN, allowed=ALLOWED).types == ALLOWED


def test_types_keep_the_servers_order_and_may_repeat() -> None:
    asked = parse_kickoff(
        [("_type", "Goal,Patient"), ("_type", "Goal")], known=KNOWN, allowed=ALLOWED
    )
    assert asked.types == ("Patient", "Goal")


@pytest.mark.parametrize(
    ("pairs", "name"),
    [
        ([("_type", "Spaceship")], "_type"),
        ([("_type", "Organization")], "_type"),
        ([("_outputFormat", "text/csv")], "_outputFormat"),
        ([("_since", "2026-12-01")], "_since"),
        ([("_since", "2026-12-01T00:00:00")], "_since"),
        ([("_since", "yesterday")], "_since"),
        ([("_typeFilter", "Goal?status=active")], "_typeFilter"),
        ([("_count", "5")], "_count"),
    ],
)
def test_what_the_server_cannot_honour_is_refused_by_name(
    pairs: list[tuple[str, str]], name: str
) -> None:
    with pytest.raises(BadParameter) as refused:
        parse_kickoff(pairs, known=KNOWN, allowed=ALLOWED)
    assert refused.value.name == name


@pytest.mark.parametrize("fmt", ["application/fhir+ndjson", "application/ndjson", "ndjson"])
def test_the_ndjson_formats_are_accepted(fmt: str) -> None:
    assert parse_kickoff([("_outputFormat", fmt)], known=KNOWN, allowed=ALLOWED).since is None


def test_since_is_an_instant_with_its_offset() -> None:
    assert parse_since("2026-12-01T08:30:00Z") == dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)
    assert parse_since("2026-12-01T08:30:00-05:00").utcoffset() == dt.timedelta(hours=-5)
