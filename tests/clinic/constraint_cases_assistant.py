"""Constraint cases for the documentation assistant's tables (collected by test_constraints.py)."""

from collections.abc import Callable

from otclinic.clinic.assistant.models import AssistantDraft, AssistantSettings, ShorthandAsk
from otclinic.clinic.care.models import ShorthandEntry
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import drafted, practice

Case = Callable[[bool], object]


def _settings(**fields: object) -> AssistantSettings:
    values = {
        "organization": f.OrganizationFactory(),
        "enabled": True,
        "base_url": "http://127.0.0.1:11434",
        "model": "local-test",
        **fields,
    }
    return AssistantSettings.objects.create(**values)


def assistant_settings_once(bad: bool) -> object:
    first = _settings()
    return _settings(organization=first.organization if bad else f.OrganizationFactory())


def assistant_timeout_1_to_120_seconds(bad: bool) -> object:
    return _settings(timeout_seconds=121 if bad else 120)


def assistant_enabled_names_a_model(bad: bool) -> object:
    return _settings(model="" if bad else "local-test")


def assistant_draft_status(bad: bool) -> object:
    p = practice()
    note = drafted(p)
    return AssistantDraft.objects.create(
        organization=p.org, note=note, requested_by=p.ota, status="lost" if bad else "queued"
    )


def assistant_shorthand_status(bad: bool) -> object:
    p = practice()
    note = drafted(p)
    return ShorthandAsk.objects.create(
        organization=p.org, note=note, requested_by=p.ota, status="lost" if bad else "queued"
    )


ASSISTANT_CASES: list[tuple[str, Case]] = [
    ("assistant_settings_once", assistant_settings_once),
    ("assistant_timeout_1_to_120_seconds", assistant_timeout_1_to_120_seconds),
    ("assistant_enabled_names_a_model", assistant_enabled_names_a_model),
    ("assistant_draft_status", assistant_draft_status),
    ("assistant_shorthand_status", assistant_shorthand_status),
]


def _entry(**fields: object) -> ShorthandEntry:
    values = {
        "organization": f.OrganizationFactory(),
        "phrase": "kitch",
        "kind": "code",
        "value": "97535",
        "category": "self_care_adl",
        **fields,
    }
    return ShorthandEntry.objects.create(**values)


def shorthand_phrase_once_per_org(bad: bool) -> object:
    first = _entry()
    return _entry(organization=first.organization if bad else f.OrganizationFactory())


def shorthand_kind_known(bad: bool) -> object:
    # An unknown kind without a category: only the kind is wrong (a category is a code's alone).
    return _entry(kind="sound", category="") if bad else _entry(kind="code")


def shorthand_code_has_category(bad: bool) -> object:
    return _entry(category="" if bad else "self_care_adl")


def shorthand_device_is_equipment(bad: bool) -> object:
    return _entry(kind="device", category="", value="hoverboard" if bad else "walker")


def shorthand_assist_is_level(bad: bool) -> object:
    return _entry(kind="assist", category="", value="some_help" if bad else "min_assist")


# The clinic's own shorthand (the care app's table, beside the assistant's that reads shorthand).
SHORTHAND_CASES: list[tuple[str, Case]] = [
    ("shorthand_phrase_once_per_org", shorthand_phrase_once_per_org),
    ("shorthand_kind_known", shorthand_kind_known),
    ("shorthand_code_has_category", shorthand_code_has_category),
    ("shorthand_device_is_equipment", shorthand_device_is_equipment),
    ("shorthand_assist_is_level", shorthand_assist_is_level),
]
