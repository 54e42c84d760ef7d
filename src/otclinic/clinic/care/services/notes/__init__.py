"""Writes to the daily treatment note: start, save a draft, sign, addendum, co-sign, return.

Callers import this package (`from otclinic.clinic.care.services import notes`); the modules
behind it are cut by step: `content` (what the form hands over), `drafting` (start with the
carry-forward, save with totals, warnings and the billing preview), `signing` (the checks and
the hash of what is signed), `addenda`, and `cosign`.
"""

from otclinic.clinic.care.services.notes.addenda import note_addendum
from otclinic.clinic.care.services.notes.common import NoteLocked, NoteNotSignable, StaleRevision
from otclinic.clinic.care.services.notes.content import (
    CaregiverInput,
    EnvironmentInput,
    EquipmentInput,
    GoalInput,
    LineInput,
    NotBillable,
    NoteContent,
    content_differences,
    content_of,
)
from otclinic.clinic.care.services.notes.cosign import may_cosign, note_cosign, note_return
from otclinic.clinic.care.services.notes.drafting import (
    MAX_LINE_MINUTES,
    narrative_for,
    note_autosave,
    note_draft,
    note_save,
    note_start,
    note_warnings,
    preview_decision,
)
from otclinic.clinic.care.services.notes.review_policy import note_review_policy_set
from otclinic.clinic.care.services.notes.shorthand_table import (
    shorthand_entry_add,
    shorthand_entry_remove,
)
from otclinic.clinic.care.services.notes.signing import content_sha256, note_document, note_sign

__all__ = [
    "MAX_LINE_MINUTES",
    "CaregiverInput",
    "EnvironmentInput",
    "EquipmentInput",
    "GoalInput",
    "LineInput",
    "NotBillable",
    "NoteContent",
    "NoteLocked",
    "NoteNotSignable",
    "StaleRevision",
    "content_differences",
    "content_of",
    "content_sha256",
    "may_cosign",
    "narrative_for",
    "note_addendum",
    "note_autosave",
    "note_cosign",
    "note_document",
    "note_draft",
    "note_return",
    "note_review_policy_set",
    "note_save",
    "note_sign",
    "note_start",
    "note_warnings",
    "preview_decision",
    "shorthand_entry_add",
    "shorthand_entry_remove",
]
