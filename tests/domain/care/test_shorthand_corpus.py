"""The shorthand corpus: the parser keeps its field-level figures on every part of it."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[3]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "shorthand_corpus", REPO / "bench" / "shorthand_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("part", ["tuning", "heldout", "heldout2"])
def test_each_part_is_read_with_precision_and_recall_of_at_least_098(part: str) -> None:
    path = REPO / "tests" / "data" / "shorthand" / f"{part}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    figures = _bench().measure(records)

    assert len(records) >= 100
    assert figures["precision"] >= 0.98
    assert figures["recall"] >= 0.98


def test_the_corpus_has_at_least_300_lines_with_answers() -> None:
    parts = (REPO / "tests" / "data" / "shorthand").glob("*.jsonl")
    lines = [line for p in parts for line in p.read_text(encoding="utf-8").splitlines()]

    assert len(lines) >= 300
    assert all("expected" in json.loads(line) for line in lines)


def test_facts_count_a_wrong_reading_against_both_figures() -> None:
    bench = _bench()
    record = {
        "text": "ther ex 10 min A",
        "role": "ota",
        "planned": [],
        "expected": {"code": "97530", "minutes": {"assistant": 10}, "assist_level": "min_assist"},
    }

    figures = bench.measure([record])

    assert figures["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert figures["recall"] == pytest.approx(2 / 3, abs=1e-3)
