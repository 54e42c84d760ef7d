"""Clinician shorthand, one line per intervention, read into a note's structured facts.

Pure: no Django, no database. The table of words is `care/data/shorthand.yaml`; the grammar is
described in docs/shorthand.md.
"""

from otclinic.domain.care.shorthand.clinic_table import (
    ClinicPhrase,
    clinic_table,
    normal_phrase,
    phrase_problems,
)
from otclinic.domain.care.shorthand.lexicon import (
    Lexicon,
    TableError,
    lexicon_from,
    read_table,
    shipped_lexicon,
)
from otclinic.domain.care.shorthand.model import (
    CaregiverTraining,
    Device,
    HomeModification,
    Measured,
    Minutes,
    Piece,
    ShorthandLine,
    Writer,
)
from otclinic.domain.care.shorthand.parse import parse_line, parse_lines

__all__ = [
    "CaregiverTraining",
    "ClinicPhrase",
    "Device",
    "HomeModification",
    "Lexicon",
    "Measured",
    "Minutes",
    "Piece",
    "ShorthandLine",
    "TableError",
    "Writer",
    "clinic_table",
    "lexicon_from",
    "normal_phrase",
    "parse_line",
    "parse_lines",
    "phrase_problems",
    "read_table",
    "shipped_lexicon",
]
