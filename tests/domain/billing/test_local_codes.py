"""A clinic's own code table: read with the same rules as the shipped one, and added to it."""

import re
from datetime import date
from typing import Any

import pytest

from otclinic.domain.billing import check_visit
from otclinic.domain.billing.codebook import CodeKind, CodeTableError, parse_code_table
from otclinic.domain.billing.rulebook import check_local_codes, default_rulebook, with_local_codes
from otclinic.domain.codes import Discipline, PayerPlan
from tests.domain.billing.builders import claim, line, rule_ids, visit

SOURCE = "Ohio Medicaid fee schedule, 2026 (encounter codes)"


def entry(**fields: Any) -> dict[str, Any]:
    """One well-formed local entry, with `fields` changed."""
    return {"kind": "untimed", "summary": "clinic encounter", "source": SOURCE, **fields}


def table(code: str = "T1015", **fields: Any) -> Any:
    return parse_code_table({"codes": {code: entry(**fields)}}, name="clinic", local=True)


def test_a_local_entry_is_read_like_a_shipped_one_and_marked_local() -> None:
    info = table(kind="timed", unit_minutes=60, disciplines=["OT"]).codes["T1015"]
    assert info.kind is CodeKind.TIME_UNITS
    assert info.unit_minutes == 60
    assert info.disciplines == {Discipline.OT}
    assert info.citation == SOURCE
    assert info.local


@pytest.mark.parametrize(
    ("code", "fields", "message"),
    [
        ("T10155", {}, "clinic: codes.T10155: not a CPT or HCPCS code"),
        ("T1015", {"kind": "hourly"}, "clinic: codes.T1015.kind: one of timed, untimed"),
        ("T1015", {"unit_minutes": 0}, "clinic: codes.T1015.unit_minutes: a whole number"),
        ("T1015", {"summary": " "}, "clinic: codes.T1015.summary: say what the code is for"),
        ("T1015", {"source": ""}, "clinic: codes.T1015.source: say where the code comes from"),
        ("T1015", {"disciplines": []}, "clinic: codes.T1015.disciplines: at least one"),
        ("T1015", {"disciplines": ["OTR"]}, "clinic: codes.T1015.disciplines: OT, PT or SLP"),
        ("T1015", {"disciplines": "OT"}, "clinic: codes.T1015.disciplines: a list of"),
        ("T1015", {"discipline_limit": "hard"}, "clinic: codes.T1015.discipline_limit: one of"),
        ("T1015", {"addon_to": "97530"}, "clinic: codes.T1015.addon_to: a list of primary"),
        ("T1015", {"addon_to": ["9753"]}, "clinic: codes.T1015.addon_to: 9753 is not a code"),
        ("T1015", {"addon_to": ["T1015"]}, "clinic: codes.T1015.addon_to: a code is not its own"),
        ("T1015", {"effective_from": "March"}, "clinic: codes.T1015.effective_from: not a date"),
        (
            "T1015",
            {"effective_from": date(2026, 3, 1), "effective_to": date(2026, 2, 1)},
            "clinic: codes.T1015.effective_to: 2026-02-01 is before effective_from (2026-03-01)",
        ),
    ],
)
def test_a_bad_local_entry_is_refused_naming_the_code_and_the_field(
    code: str, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(CodeTableError, match="^" + re.escape(message)):
        table(code, **fields)


@pytest.mark.parametrize("data", [{"codes": ["T1015"]}, {"families": {"x": "T1015"}}])
def test_a_table_of_the_wrong_shape_is_refused_not_a_crash(data: dict[str, Any]) -> None:
    with pytest.raises(CodeTableError, match=r"^clinic: (codes|families)"):
        parse_code_table(data, name="clinic", local=True)


def test_an_add_on_must_name_a_primary_code_that_some_table_holds() -> None:
    check_local_codes(default_rulebook(), table(addon_to=["97530"]), name="clinic")
    with pytest.raises(CodeTableError, match=r"^clinic: codes.T1015.addon_to: 0001F is in neither"):
        check_local_codes(default_rulebook(), table(addon_to=["0001F"]), name="clinic")


def test_a_code_only_in_the_clinics_table_is_billed_with_the_clinics_book() -> None:
    book = with_local_codes(default_rulebook(), table())
    the_visit = visit(line("T1015", 30), line("97530", 30), plan=PayerPlan.MEDICAID)
    assert "codes.unknown" in rule_ids(check_visit(the_visit))
    decision = check_visit(the_visit, rulebook=book)
    assert claim(decision) == [("T1015", 1, ("GO",)), ("97530", 2, ("GO",))]
    assert decision.billable


def test_a_clinics_entry_replaces_the_shipped_one() -> None:
    book = with_local_codes(default_rulebook(), table("97530", kind="untimed"))
    decision = check_visit(visit(line("97530", 45)), rulebook=book)
    assert claim(decision) == [("97530", 1, ("GO",))]
    assert default_rulebook().codes["97530"].kind is CodeKind.TIMED


def test_an_empty_local_table_leaves_the_shipped_book_as_it_is() -> None:
    empty = parse_code_table({}, name="clinic", local=True)
    assert with_local_codes(default_rulebook(), empty) is default_rulebook()
