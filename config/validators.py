"""Validators every app shares (a leaf helper: imports nothing of ours).

`validate_name` guards a person's or a team's name, in forms and DRF serializers alike (DRF
runs Django validators and turns their errors into a 400 with field errors). A name is one line
of text that is shown in lists, headings, e-mails and exports, so it may not carry:

- control characters (C0, DEL, C1), CR/LF and the Unicode line/paragraph separators: a name
  that breaks a line breaks a CSV row, a mail header or an audit line;
- bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the direction marks
  (U+200E, U+200F, U+061C): they make a name read differently from what is stored
  ("Trojan Source");
- the traces of invalid input: lone surrogates (from a JSON "\\ud800", which PostgreSQL cannot
  store) and U+FFFD, the replacement character Django puts where a request's bytes were not
  valid UTF-8. Refused rather than stored as mojibake.

Each is refused with its own message, never silently removed.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f"]
    + ["\u061c"]
)
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x85\u2028\u2029")
REPLACEMENT = "\ufffd"

MESSAGES = {
    "line_break": _("A name is one line: remove the line break."),
    "control": _("The name contains an invisible control character. Type the name again."),
    "bidi": _(
        "The name contains an invisible character that changes the writing direction. "
        "Type the name again."
    ),
    "encoding": _(
        "The name contains characters that could not be read (wrongly encoded text). "
        "Type the name again."
    ),
}


def name_problem(value: str) -> str | None:
    """Which of MESSAGES applies to value (the first found), or None for a good name."""
    for char in value:
        if char in LINE_BREAKS:
            return "line_break"
        if char in BIDI_CONTROLS:
            return "bidi"
        if char == REPLACEMENT:
            return "encoding"
        category = unicodedata.category(char)
        if category == "Cs":  # a lone surrogate: never valid text
            return "encoding"
        if category == "Cc":
            return "control"
    return None


def validate_name(value: object) -> None:
    """A Django validator (forms, model forms, DRF serializer fields)."""
    if not isinstance(value, str):
        return
    problem = name_problem(value)
    if problem is not None:
        raise ValidationError(MESSAGES[problem], code=f"name_{problem}")
