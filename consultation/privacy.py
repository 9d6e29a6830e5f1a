"""Free text is a leak path (DESIGN §4.4): find what could identify the resident.

Before a question, follow-up or attachment note leaves the team, its text is checked against
the resident's own name (also first or last name alone), date of birth and postcode, and against
BSN-like numbers (11-proef), phone numbers and e-mail addresses. The generalist sees what was
found and must edit the text or explicitly confirm.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_NL_SHORT = [
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
]

# Words that are also ordinary Dutch words or particles: a last name "de Vries" must not make
# every "de" a finding, and a first name "Roos" still is one.
_PARTICLES = {
    "de",
    "den",
    "der",
    "van",
    "het",
    "ten",
    "ter",
    "te",
    "op",
    "in",
    "la",
    "le",
    "el",
    "al",
    "da",
    "di",
    "du",
    "von",
    "'t",
}

KIND_LABELS = {
    "name": _("the resident's name"),
    "date_of_birth": _("the resident's date of birth"),
    "postcode": _("the resident's postcode"),
    "bsn": _("a number that looks like a BSN"),
    "phone": _("a phone number"),
    "email": _("an e-mail address"),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class ResidentIdentity:
    """What the guard compares against; built from a Resident by the team side only."""

    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""

    @classmethod
    def of(cls, resident) -> ResidentIdentity:
        if getattr(resident, "anonymised_at", None) is not None:
            # Nothing left to compare with (the birth date is only a year now).
            return cls()
        return cls(
            resident.first_name, resident.last_name, resident.date_of_birth, resident.postcode
        )


# Letters Unicode does not decompose into a base letter and an accent, as people type them
# without the key: "Łukasz" is written "Lukasz", "Søren" "Soren" (found by the property tests).
_BARE_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ŀ": "l", "ħ": "h"}


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    base = _BARE_LETTERS.get(base.lower(), base)
    folded = base.casefold()
    return folded if len(folded) == 1 else char.lower()[:1] or char


def _fold(text: str) -> str:
    """Lower case without accents, so 'Zoë' matches 'zoe'; one character per character, so match
    positions in the folded text are positions in the original."""
    return "".join(_fold_char(c) for c in text)


def _name_parts(identity: ResidentIdentity) -> list[str]:
    parts = []
    for name in (identity.first_name, identity.last_name):
        for piece in re.split(r"[\s\-]+", name.strip()):
            if len(piece) >= 2 and _fold(piece) not in _PARTICLES:
                parts.append(piece)
    full_last = identity.last_name.strip()
    if full_last and full_last not in parts:
        parts.append(full_last)  # "van der Berg" as a whole
    return parts


def _find_names(text: str, identity: ResidentIdentity) -> list[Finding]:
    folded = _fold(text)
    found = []
    for part in sorted(set(_name_parts(identity)), key=len, reverse=True):
        # A boundary is anything but a letter or digit: "_" too (verslag_Berg.pdf).
        # An "s" may follow: the Dutch genitive ("Bakkers dochter"; "Vries'" needs nothing).
        pattern = r"(?<![^\W_])" + re.escape(_fold(part)) + r"s?(?![^\W_])"
        for match in re.finditer(pattern, folded):
            found.append(Finding("name", text[match.start() : match.end()]))
    return found


def _date_patterns(born: date) -> list[str]:
    d, m, y = born.day, born.month, born.year
    sep = r"\s*[-/.]\s*"
    numeric = [
        rf"0?{d}{sep}0?{m}{sep}{y}",
        rf"0?{d}{sep}0?{m}{sep}{y % 100:02d}(?!\d)",
        rf"{y}{sep}0?{m}{sep}0?{d}",
    ]
    month_names = f"(?:{MONTHS_NL[m - 1]}|{MONTHS_NL_SHORT[m - 1]}\\.?)"
    written = [rf"0?{d}\s+{month_names}\s+(?:'?{y % 100:02d}(?!\d)|{y})"]
    return [rf"(?<!\d){p}" for p in numeric + written]


def _find_birth_date(text: str, identity: ResidentIdentity) -> list[Finding]:
    if identity.date_of_birth is None:
        return []
    folded = _fold(text)
    found = []
    for pattern in _date_patterns(identity.date_of_birth):
        for match in re.finditer(pattern, folded):
            found.append(Finding("date_of_birth", text[match.start() : match.end()]))
    return found


def _find_postcode(text: str, identity: ResidentIdentity) -> list[Finding]:
    compact = re.sub(r"\s", "", identity.postcode or "").upper()
    if not re.fullmatch(r"\d{4}[A-Z]{2}", compact):
        return []
    pattern = rf"(?<!\d){compact[:4]}\s*{compact[4:]}(?![A-Za-z])"
    return [Finding("postcode", m.group(0)) for m in re.finditer(pattern, text, re.IGNORECASE)]


def passes_elfproef(digits: str) -> bool:
    """The BSN 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0)."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0 and total != 0


# 8 or 9 digits with single spaces or dots anywhere: 123456782, 1234.56.782 (as on ID
# documents), 123 456 782, 12.34.56.782; the 11-proef decides.
_BSN_CANDIDATE = re.compile(r"(?<![\d.])\d(?:[ .]?\d){7,8}(?![\d])")
# Between the digits of a phone number: nothing, a space, a dash, or a dash with spaces.
_SEP = r"(?:\s?-\s?|\s)?"
# Nine digits after the 0 (06 1234 5678, 030 123 45 67, 0318 12 34 56); +31 / 0031 instead of
# the 0, with or without "(0)"; or the area code in brackets: (030) 123 45 67, (0318) 123456.
_PHONE = re.compile(
    rf"(?<![\d+])(?:"
    rf"(?:(?:\+|00)\s?31(?:\s?\(0\))?{_SEP}|0)[1-9](?:{_SEP}\d){{8}}"
    rf"|\(0[1-9]\d\)\s?\d(?:{_SEP}\d){{6}}"
    rf"|\(0[1-9]\d\d\)\s?\d(?:{_SEP}\d){{5}}"
    rf")(?!\d)"
)
# name@domain.tld, also with the at sign spaced or written out: "jan @ x.nl", "jan(at)x.nl".
# The top-level domain is letters: "bel mij @ 10.30" is a time, not an address.
_EMAIL = re.compile(
    r"[\w.%+-]+(?:\s?@\s?|\s?[(\[]at[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
    re.UNICODE | re.IGNORECASE,
)


def _find_bsn(text: str) -> list[Finding]:
    found = []
    for match in _BSN_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if passes_elfproef(digits):
            found.append(Finding("bsn", match.group(0)))
    return found


def _find_phone(text: str) -> list[Finding]:
    return [Finding("phone", m.group(0).strip()) for m in _PHONE.finditer(text)]


def _find_email(text: str) -> list[Finding]:
    return [Finding("email", m.group(0)) for m in _EMAIL.finditer(text)]


def find_identity_leaks(text: str, identity: ResidentIdentity | None = None) -> list[Finding]:
    """Everything in `text` that could identify the resident, without duplicates, in order."""
    if not text:
        return []
    identity = identity or ResidentIdentity()
    findings = (
        _find_names(text, identity)
        + _find_birth_date(text, identity)
        + _find_postcode(text, identity)
        + _find_email(text)
    )
    # A phone number can pass the 11-proef by chance; report it as a phone number only.
    phones = _find_phone(text)
    phone_digits = {re.sub(r"\D", "", f.text)[-9:] for f in phones}
    bsns = [f for f in _find_bsn(text) if re.sub(r"\D", "", f.text)[-9:] not in phone_digits]
    seen, unique = set(), []
    for finding in findings + phones + bsns:
        key = (finding.kind, finding.text.casefold())
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def check_texts(texts: dict[str, str], identity: ResidentIdentity) -> dict[str, list[Finding]]:
    """find_identity_leaks for several fields; only fields with findings are returned."""
    result = {}
    for field, text in texts.items():
        findings = find_identity_leaks(text, identity)
        if findings:
            result[field] = findings
    return result
