"""Every rule otclinic applies is dated and cited with a primary source and a confidence."""

from datetime import date
from pathlib import Path

import pytest

from otclinic.domain.billing.rulebook import RULES_DIR, default_rulebook
from otclinic.domain.compliance.catalog import (
    SECONDARY,
    CatalogEntry,
    CatalogError,
    code_rules,
    data_entries,
    rules_for_code,
)

DATA = data_entries()


def test_the_catalog_reads_every_rule_file() -> None:
    files = {p.name for p in RULES_DIR.iterdir() if p.suffix in {".yaml", ".csv"}}
    read = {entry.where.removeprefix("rules/") for entry in DATA}
    assert files == read
    assert len(DATA) > 200


@pytest.mark.parametrize("entry", DATA, ids=lambda e: e.rule_id)
def test_every_data_entry_has_a_date_a_primary_source_and_a_confidence(
    entry: CatalogEntry,
) -> None:
    assert entry.problems() == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (CatalogEntry("x", "rules/x.yaml", None, None, "SSA 1833(g)", "firm"), "no effective date"),
        (
            CatalogEntry(
                "x", "rules/x.yaml", date(2020, 1, 1), None, "billing-rules.md sec. 4", "firm"
            ),
            "cites a summary",
        ),
        (CatalogEntry("x", "rules/x.yaml", date(2020, 1, 1), None, "", "firm"), "no citation"),
        (
            CatalogEntry("x", "rules/x.yaml", date(2020, 1, 1), None, "SSA 1833(g)", None),
            "confidence None",
        ),
    ],
)
def test_the_walk_catches_an_entry_without_them(entry: CatalogEntry, problem: str) -> None:
    assert any(problem in found for found in entry.problems())


def test_a_rule_file_without_a_reader_fails_the_walk(tmp_path: Path) -> None:
    (tmp_path / "new_rule.yaml").write_text("reference: x\nvalues: {2020-01-01: 1}\n")
    with pytest.raises(CatalogError, match=r"new_rule\.yaml: no catalog reader"):
        data_entries(tmp_path)


@pytest.mark.parametrize("rule", code_rules(), ids=lambda e: e.rule_id)
def test_every_rule_in_code_cites_a_primary_source(rule: CatalogEntry) -> None:
    assert rule.citation.strip()
    assert not SECONDARY.search(rule.citation), rule.citation


def test_the_rules_for_97530_include_its_table_entry_its_edits_and_the_unit_rules() -> None:
    book = default_rulebook()
    found = {
        e.rule_id
        for e in rules_for_code("97530", info=book.codes["97530"], rules=code_rules(), data=DATA)
    }
    assert {"codes.97530", "ncci.ptp.97140-97530", "units.total_time", "threshold.kx"} <= found
    assert "units.untimed" not in found
    assert "scope.assistant_evaluation" not in found


def test_the_rules_for_an_add_on_include_the_add_on_rule() -> None:
    book = default_rulebook()
    found = {
        e.rule_id
        for e in rules_for_code("97130", info=book.codes["97130"], rules=code_rules(), data=DATA)
    }
    assert {"codes.97130", "codes.family.cognitive", "codes.addon_without_primary"} <= found
