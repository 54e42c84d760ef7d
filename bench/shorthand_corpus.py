"""Field-level precision and recall of the shorthand parser on the corpus with known answers.

    .venv/bin/python bench/shorthand_corpus.py [--show-misses] [tuning|heldout ...]

The corpus is written by bench/shorthand_corpus_make.py (tests/data/shorthand/*.jsonl). Each
line's answer and the parser's reading are turned into facts, one per field value: the code,
each person's minutes, the assistance level, each device, each home modification with its room,
the caregiver trained and whether they showed it back, and each unread fragment. Precision is
the share of facts read that are right; recall the share of known facts that were read. Prints
one JSON line per part.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from otclinic.domain.care.shorthand import Writer, parse_line  # noqa: E402
from otclinic.domain.care.shorthand.jsonio import line_as_json  # noqa: E402

CORPUS = REPO / "tests" / "data" / "shorthand"
Fact = tuple[str, str]


def facts(answer: dict[str, Any]) -> set[Fact]:
    """One (field, value) pair per thing the line says."""
    found: set[Fact] = set()
    if answer.get("code"):
        found.add(("code", str(answer["code"])))
    for who, n in (answer.get("minutes") or {}).items():
        if n:
            found.add((f"minutes.{who}", str(n)))
    if answer.get("assist_level"):
        found.add(("assist_level", str(answer["assist_level"])))
    found |= {("device", str(d)) for d in answer.get("devices") or []}
    found |= {
        ("modification", f"{m['modification']}@{m['room']}")
        for m in answer.get("modifications") or []
    }
    caregiver = answer.get("caregiver")
    if caregiver:
        found.add(("caregiver.who", str(caregiver["who"])))
        found.add(("caregiver.return_demo", str(bool(caregiver["return_demo"]))))
    found |= {("unread", " ".join(str(u).split())) for u in answer.get("unread") or []}
    return found


def measure(records: list[dict[str, Any]], *, show_misses: bool = False) -> dict[str, Any]:
    by_field: dict[str, Counter[str]] = {}
    for record in records:
        writer = Writer(record["role"])
        got = facts(
            line_as_json(
                parse_line(record["text"], writer=writer, planned=tuple(record["planned"]))
            )
        )
        want = facts(record["expected"])
        for name, _ in got | want:
            by_field.setdefault(name.split(".")[0], Counter())
        for name, value in got:
            by_field[name.split(".")[0]]["read"] += 1
            by_field[name.split(".")[0]]["right"] += (name, value) in want
        for name, _ in want:
            by_field[name.split(".")[0]]["known"] += 1
        if show_misses and got != want:
            print(
                f"  {record['text']!r}: extra {sorted(got - want)} missed {sorted(want - got)}",
                file=sys.stderr,
            )
    total = sum(by_field.values(), Counter())
    return {
        "lines": len(records),
        "precision": _share(total["right"], total["read"]),
        "recall": _share(total["right"], total["known"]),
        "fields": {
            name: {
                "precision": _share(c["right"], c["read"]),
                "recall": _share(c["right"], c["known"]),
            }
            for name, c in sorted(by_field.items())
        },
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=["tuning", "heldout", "heldout2"])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    for part in args.parts:
        path = CORPUS / f"{part}.jsonl"
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        print(json.dumps({"part": part, **measure(records, show_misses=args.show_misses)}))


if __name__ == "__main__":
    main()
