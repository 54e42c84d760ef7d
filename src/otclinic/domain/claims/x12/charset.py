"""The X12 character set: check a name, address or free text before it goes into a file, and
transliterate it when that keeps its meaning.

The 005010 implementation guides (appendix B.1.1.2, "Character set"; X12.6) allow:
- the basic character set: uppercase A-Z, digits 0-9, space and ! " & ' ( ) * + , - . / : ; ? =
- the extended character set: lowercase a-z and % @ [ ] _ { } \\ | < > ~ ^ ` # $
No control character is X12 text, nor are the file's own delimiters (ours are * : ^ ~, see
`tokens.Separators()`), which a value can never hold.

`x12_text(value, field=...)` returns an `X12Text`: the text to write (`value`) and whether it
was changed (`transliterated`), so that the caller keeps the original in the record. What it does
with a character outside the set:

- a Latin letter with diacritics loses them (Zoë -> Zoe, José -> Jose, Müller -> Muller);
  other Latin letters and typographic punctuation go through `anyascii` (ß -> ss, Ø -> O,
  Æ -> AE, curly quotes -> ', en dash -> -). What comes out is checked again;
- tab, line feed and carriage return become a space (free text pasted from elsewhere);
- everything else is refused with `CharacterSetRefusal` naming the field: control and format
  characters (the bidirectional overrides U+202A-U+202E and U+2066-U+2069 among them), the
  file's delimiters, and letters of other scripts (李, Ж, ع). otclinic does not romanise other
  scripts: a romanisation is a guess (李 may be Li, Lee or Lie on the member's card), and a name
  that does not match the payer's record is rejected anyway; the front desk enters the name as
  it is on the insurance card.

`uppercase=True` also uppercases (some payers take uppercase only: Zoë -> ZOE).

Call it from the scrubber for every name, address line and free-text value that the 837P
writer will put in a file, and store `value` beside the original; the 270 and 276 writers
(`inquiry270`, `inquiry276`) already call it on every text they write.
"""

import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from otclinic.domain.claims.x12.tokens import Separators

BASIC = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"&'()*+,-./:;?=")
EXTENDED = frozenset("abcdefghijklmnopqrstuvwxyz%@[]_{}\\|<>~^`#$")
DEFAULT_SEPARATORS = Separators()
_WHITESPACE_CONTROLS = frozenset("\t\n\r")


class CharacterSetRefusal(ValueError):
    """A value cannot be written in X12 text; the message names the field and the character."""

    def __init__(self, field: str, character: str, reason: str) -> None:
        self.field = field
        self.character = character
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True, slots=True)
class X12Text:
    """What to write (`value`), and whether it differs from what was given."""

    value: str
    transliterated: bool


def allowed_characters(
    *, separators: Separators = DEFAULT_SEPARATORS, extended: bool = True
) -> frozenset[str]:
    """The characters a value may hold in a file with `separators`."""
    delimiters = {separators.element, separators.component, separators.segment}
    if separators.repetition:
        delimiters.add(separators.repetition)
    return (BASIC | EXTENDED if extended else BASIC) - delimiters


def x12_text(
    value: str,
    *,
    field: str,
    separators: Separators = DEFAULT_SEPARATORS,
    extended: bool = True,
    uppercase: bool = False,
) -> X12Text:
    """`value` as X12 text, transliterated where that keeps its meaning; raises
    `CharacterSetRefusal` naming `field` otherwise. With `extended=False` only the basic set
    is allowed (lowercase is then uppercased)."""
    allowed = allowed_characters(separators=separators, extended=extended)
    text = value.upper() if uppercase or not extended else value
    out = "".join(_character(c, field=field, allowed=allowed) for c in text)
    if not extended or uppercase:
        out = out.upper()
    for c in out:
        if c not in allowed:  # anyascii gave a character outside the set, e.g. a delimiter
            raise CharacterSetRefusal(field, c, _refusal(c, allowed))
    return X12Text(out, out != value)


def _character(c: str, *, field: str, allowed: frozenset[str]) -> str:
    if c in allowed:
        return c
    if c in _WHITESPACE_CONTROLS:
        return " "
    category = unicodedata.category(c)
    if category.startswith("C") or category in {"Zl", "Zp"}:
        raise CharacterSetRefusal(field, c, _refusal(c, allowed))
    if c in (BASIC | EXTENDED):  # a delimiter of this file
        raise CharacterSetRefusal(field, c, _refusal(c, allowed))
    if category.startswith("M"):  # a combining diacritic (as in decomposed text): dropped
        return ""
    stripped = "".join(
        part for part in unicodedata.normalize("NFKD", c) if not unicodedata.combining(part)
    )
    if stripped and all(part in allowed for part in stripped):
        return stripped
    if _is_latin(c) or category.startswith(("P", "Z", "S")):
        ascii_text = anyascii(c)
        if ascii_text and all(part in allowed or part == " " for part in ascii_text):
            return ascii_text
    raise CharacterSetRefusal(field, c, _refusal(c, allowed))


def _is_latin(c: str) -> bool:
    return unicodedata.name(c, "").startswith("LATIN ")


def _refusal(c: str, allowed: frozenset[str]) -> str:
    name = unicodedata.name(c, "unnamed character")
    code = f"U+{ord(c):04X}"
    if c in (BASIC | EXTENDED) and c not in allowed:
        return f"{c!r} ({code}) is a delimiter of the X12 file; remove it"
    if unicodedata.category(c).startswith("C"):
        return f"holds the control character {code} ({name}), which X12 does not allow; remove it"
    return (
        f"{c!r} ({code} {name}) is outside the X12 character set and has no faithful Latin"
        " spelling; enter the value as it is on the insurance card, in Latin letters"
    )
