"""Co-signature of treatment notes: the rule packs of supervision.md as a table of cases."""

import datetime as dt
from pathlib import Path

import pytest

from otclinic.domain.codes import PayerPlan, Role, Setting
from otclinic.domain.compliance.findings import Severity
from otclinic.domain.compliance.supervision import (
    CLINIC_OVERRIDE_ID,
    NoteAuthorship,
    cosign_required,
    default_packs,
    load_packs,
)

DAY = dt.date(2026, 3, 12)
MCR = PayerPlan.MEDICARE_PART_B
PP = Setting.PRIVATE_PRACTICE
HH = Setting.HOME_HEALTH_PART_B


def note(**kw: object) -> NoteAuthorship:
    facts: dict[str, object] = {
        "date_of_service": DAY,
        "state": "OH",
        "payer_plan": MCR,
        "setting": PP,
        "author_role": Role.OTA,
    }
    facts.update(kw)
    return NoteAuthorship(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "facts", "required", "rule_ids"),
    [
        ("Medicare OTA note", {}, False, {"supervision.medicare.ota_note"}),
        (
            "Texas OTA, full license",
            {"state": "TX"},
            False,
            {"supervision.medicare.ota_note", "supervision.tx.ota_note"},
        ),
        (
            "Texas temporary licensee: every note co-signed, stricter than Medicare",
            {"state": "TX", "temporary_license": True},
            True,
            {
                "supervision.medicare.ota_note",
                "supervision.tx.ota_note",
                "supervision.tx.temporary_license",
            },
        ),
        (
            "California home health",
            {"state": "CA", "setting": HH},
            True,
            {"supervision.medicare.ota_note", "supervision.ca.home_health"},
        ),
        ("California private practice", {"state": "CA"}, False, {"supervision.medicare.ota_note"}),
        (
            "New York, plan says co-signed",
            {"state": "NY", "supervision_plan_cosign": True},
            True,
            {"supervision.medicare.ota_note", "supervision.ny.supervision_plan"},
        ),
        (
            "New York, plan says initialed",
            {"state": "NY", "supervision_plan_cosign": False},
            False,
            {"supervision.medicare.ota_note", "supervision.ny.supervision_plan"},
        ),
        (
            "New York, no plan on file: the strict reading",
            {"state": "NY"},
            True,
            {"supervision.medicare.ota_note", "supervision.ny.supervision_plan"},
        ),
        (
            "Student, Ohio, commercial",
            {"author_role": Role.STUDENT, "payer_plan": PayerPlan.COMMERCIAL},
            True,
            {"supervision.student.educator"},
        ),
        (
            "Clinic override on a Medicare OTA note",
            {"clinic_requires_cosign": True},
            True,
            {"supervision.medicare.ota_note", CLINIC_OVERRIDE_ID},
        ),
        (
            "OT author: nothing applies, even with the clinic override",
            {"author_role": Role.OT, "clinic_requires_cosign": True, "state": "TX"},
            False,
            {"supervision.none"},
        ),
        (
            "Commercial OTA note in Ohio: no rule",
            {"payer_plan": PayerPlan.COMMERCIAL},
            False,
            {"supervision.none"},
        ),
    ],
)
def test_the_strictest_applicable_rule_decides(
    case: str, facts: dict[str, object], required: bool, rule_ids: set[str]
) -> None:
    decision = cosign_required(note(**facts))
    assert decision.required is required, case
    assert {f.rule_id for f in decision.findings} == rule_ids, case
    assert bool(decision.reason) is required


def test_the_reason_names_each_requiring_rule() -> None:
    decision = cosign_required(
        note(state="TX", temporary_license=True, clinic_requires_cosign=True)
    )
    assert len(decision.reasons) == 2
    assert "temporary license" in decision.reason
    assert "clinic requires" in decision.reason


@pytest.mark.parametrize(
    ("facts", "rule_id"),
    [
        ({"state": "CA", "setting": HH}, "supervision.ca.home_health"),
        ({"state": "TX"}, "supervision.tx.ota_note"),
    ],
)
def test_check_items_say_so_in_their_finding(facts: dict[str, object], rule_id: str) -> None:
    finding = next(f for f in cosign_required(note(**facts)).findings if f.rule_id == rule_id)
    assert "check:" in finding.message
    assert finding.citation


def test_a_missing_new_york_plan_is_a_warning_a_stated_one_is_not() -> None:
    missing = cosign_required(note(state="NY")).findings
    stated = cosign_required(note(state="NY", supervision_plan_cosign=False)).findings
    ny = "supervision.ny.supervision_plan"
    assert next(f for f in missing if f.rule_id == ny).severity is Severity.WARNING
    assert next(f for f in stated if f.rule_id == ny).severity is Severity.INFO
    assert "initialed" in next(f for f in stated if f.rule_id == ny).message


def test_a_pack_applies_only_from_its_effective_date(tmp_path: Path) -> None:
    rules = tmp_path / "packs.yaml"
    rules.write_text(
        "packs:\n"
        "  - {id: x.new, kind: state, states: [OH], roles: [OTA], cosign: required,\n"
        "     effective_from: 2027-01-01, confidence: firm, citation: c, summary: s}\n"
    )
    packs = load_packs(rules)
    assert not cosign_required(note(), packs=packs).required
    assert cosign_required(note(date_of_service=dt.date(2027, 1, 4)), packs=packs).required


def test_every_shipped_pack_is_cited_and_dated() -> None:
    packs = default_packs()
    assert len(packs) >= 8
    for pack in packs:
        assert pack.citation and pack.effective_from, pack.rule_id
        assert pack.confidence in {"firm", "likely", "check"}, pack.rule_id
