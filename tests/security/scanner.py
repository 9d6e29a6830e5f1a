"""The leak scan's eyes: canaries in every spelling, and a reader for everything the application
hands out (HTML, JSON, CSV, XLSX, PDF, .ics, e-mails with their parts and headers, log lines).

A scanner that cannot read a format is blind there, so each reader turns its format into plain
text first: XLSX is unzipped and its XML read, a PDF's text is extracted with pypdf, an e-mail is
parsed back from its bytes (quoted-printable and base64 decoded, headers decoded), an .ics is
unfolded, HTML entities are resolved. Matching ignores case and Unicode compatibility forms.
"""

from __future__ import annotations

import email
import email.policy
import html
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date

from consultation.privacy import MONTHS_NL

MONTHS_EN = [date(2000, month, 1).strftime("%B") for month in range(1, 13)]  # the C locale


def spellings(*, first: str, last: str, birth: date, postcode: str) -> tuple[str, ...]:
    """Every way a resident's identity could show up: names, the birth date as a page, a
    spreadsheet, a calendar or a letter writes it, the postcode with and without its space."""
    compact = postcode.replace(" ", "")
    return (
        first,
        last,
        birth.isoformat(),
        birth.strftime("%Y%m%d"),
        birth.strftime("%d-%m-%Y"),
        birth.strftime("%d/%m/%Y"),
        birth.strftime("%d.%m.%Y"),
        f"{birth.day} {MONTHS_NL[birth.month - 1]} {birth.year}",
        f"{birth.day} {MONTHS_NL[birth.month - 1][:3]} {birth.year}",
        f"{MONTHS_EN[birth.month - 1]} {birth.day}, {birth.year}",
        f"{birth.day} {MONTHS_EN[birth.month - 1]} {birth.year}",
        postcode,
        compact,
    )


@dataclass(frozen=True)
class Canary:
    label: str
    needles: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    canary: str
    needle: str
    where: str


def normalised(text: str) -> str:
    # .ics lines are folded at 75 octets (a continuation line starts with a space or tab) and
    # escape commas and semicolons; HTML and XML spell characters as entities.
    text = re.sub(r"\r?\n[ \t]", "", text)
    text = text.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    text = html.unescape(text)
    return unicodedata.normalize("NFKC", text).casefold()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    return "\n".join(parts)


def texts_of_bytes(data: bytes, where: str) -> list[tuple[str, str]]:
    """(where, text) for a file's bytes, by content: PDF, ZIP (XLSX, DOCX: every member),
    else text."""
    if data.startswith(b"%PDF"):
        try:
            text = pdf_text(data)
        except Exception as error:  # noqa: BLE001 - an unreadable PDF is read as bytes below
            text = f"(unreadable PDF: {error})"
        return [(f"{where} [pdf text]", text), (where, data.decode("latin-1"))]
    if data.startswith(b"PK\x03\x04"):
        found = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                found += texts_of_bytes(archive.read(name), f"{where} [{name}]")
        return found
    return [(where, data.decode("utf-8", errors="replace"))]


def mail_texts(message, where: str) -> list[tuple[str, str]]:
    """A sent e-mail as the recipient's program reads it: every header decoded, every part
    (plain body, HTML alternative, attachments such as the .ics) decoded from its transfer
    encoding, and the raw message too."""
    raw = message.message().as_bytes()
    found = [(f"{where} [raw]", raw.decode("utf-8", errors="replace"))]
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    for part in parsed.walk():
        name = part.get_filename() or part.get_content_type()
        found += [(f"{where} [header {key}]", str(value)) for key, value in part.items()]
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found += texts_of_bytes(payload, f"{where} [{name}]")
    return found


def log_texts(records, handler_format: str = "%(levelname)s %(name)s %(message)s"):
    formatter = logging.Formatter(handler_format)
    for number, record in enumerate(records):
        yield f"log record {number} ({record.name})", formatter.format(record)


@dataclass
class Scan:
    """Looks for `canaries` in what it is given; says where each was found."""

    canaries: list[Canary]
    findings: list[Finding] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def text(self, text: str, where: str, *, kind: str | None = None) -> list[Finding]:
        if kind:
            self.counts[kind] = self.counts.get(kind, 0) + 1
        plain = normalised(text)
        found = [
            Finding(canary.label, needle, where)
            for canary in self.canaries
            for needle in canary.needles
            if normalised(needle) in plain
        ]
        self.findings += found
        return found

    def many(self, texts, *, kind: str | None = None) -> list[Finding]:
        if kind:
            self.counts[kind] = self.counts.get(kind, 0) + 1
        found = []
        for where, text in texts:
            found += self.text(text, where)
        return found

    def data(self, data: bytes, where: str, *, kind: str | None = None) -> list[Finding]:
        return self.many(texts_of_bytes(data, where), kind=kind)

    def mail(self, message, where: str) -> list[Finding]:
        return self.many(mail_texts(message, where), kind="mails")

    def report(self) -> str:
        return "\n".join(f"{f.canary} ({f.needle!r}) in {f.where}" for f in self.findings)
