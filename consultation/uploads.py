"""What an attachment may be (issue 13): checked by its content, never by its name alone.

A file is accepted when its name's type is one of ALLOWED_ATTACHMENT_TYPES *and* its bytes are
that type: the magic numbers (filetype, pure Python, the package issue 10 chose) plus the
structure the magic number does not show (a Word or OpenDocument container holds its main part
and no macros; a text file is text, not markup). Programs, scripts and web pages are refused
whatever they are called. When a virus scanner is configured (CLAMD_SOCKET or CLAMD_HOST), every
file goes through clamd first; a configured scanner that cannot be reached refuses the file,
rather than letting it in unscanned.
"""

from __future__ import annotations

import codecs
import re
import socket
import struct
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import clamd
import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192  # filetype reads the start of a file
CHUNK = 64 * 1024

# The first bytes of programs, whatever a file is called: ELF (Linux), MZ (Windows PE/DOS),
# Mach-O and Java classes (macOS, the JVM), WebAssembly, and a script's #! line.
PROGRAM_MAGIC = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
    b"#!",
)
# Markup a browser would run or render: a "text" file holding any of this is a web page (or an
# SVG, XML or PHP file), not a note.
MARKUP = re.compile(
    r"<\s*(?:!doctype|html|head|body|script|iframe|frame|frameset|object|embed|svg|meta|link|"
    r"style|form|base|img|a\s+href)|<\?(?:xml|php)|<%|javascript:",
    re.IGNORECASE,
)
# Text may hold tab, line feed, form feed and carriage return; no other control character.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
DOCX_PARTS = {"[Content_Types].xml", "word/document.xml"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _chunks(upload: UploadedFile):
    upload.seek(0)
    while chunk := upload.read(CHUNK):
        yield chunk
    upload.seek(0)


def _is_program(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").startswith(PROGRAM_MAGIC)


def _is_text(upload: UploadedFile) -> tuple[bool, bool]:
    """(is text, is markup): UTF-8 (with or without its byte-order mark), else Windows-1252,
    without control characters; markup found anywhere makes it a web page."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        tail = ""
        try:
            for chunk in _chunks(upload):
                text = decoder.decode(chunk)
                if CONTROL.search(text):
                    return False, False
                if MARKUP.search(tail + text):
                    return True, True
                tail = text[-64:]
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return True, False
    return False, False


def _zip_names(upload: UploadedFile) -> list[str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if any(info.flag_bits & 0x1 for info in archive.infolist()):
                return None  # encrypted: nothing can look inside
            return names
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _has_macros(names: list[str]) -> bool:
    lowered = [name.lower() for name in names]
    return any(
        name.endswith(("vbaproject.bin", ".exe", ".dll", ".js", ".vbs", ".bat", ".cmd", ".ps1"))
        or name.startswith(("basic/", "scripts/"))
        for name in lowered
    )


def _is_docx(upload: UploadedFile) -> bool:
    names = _zip_names(upload)
    return names is not None and set(names) >= DOCX_PARTS and not _has_macros(names)


def _is_odt(upload: UploadedFile, head: bytes) -> bool:
    # The OpenDocument rule: the first entry is "mimetype", stored, holding the media type.
    names = _zip_names(upload)
    return (
        names is not None
        and names[:1] == ["mimetype"]
        and head[30:38] == b"mimetype"
        and head[38 : 38 + len(ODT_MIMETYPE)] == ODT_MIMETYPE
        and "content.xml" in names
        and not _has_macros(names)
    )


def _what_is_wrong(upload: UploadedFile, suffix: str) -> str | None:
    head = _head(upload)
    if _is_program(head):
        return _("Programs and scripts cannot be added as a document.")
    expected = ALLOWED_ATTACHMENT_TYPES[suffix]
    found = filetype.guess(head)
    mismatch = _("This file's content is not what its name says (%(type)s).") % {
        "type": suffix.lstrip(".").upper()
    }
    if expected == "text/plain":
        if found is not None:
            return mismatch
        is_text, is_markup = _is_text(upload)
        if is_markup:
            return _("Web pages and markup cannot be added as a document; save it as PDF.")
        return None if is_text else mismatch
    if found is None or found.mime != expected:
        return mismatch
    if suffix == ".docx" and not _is_docx(upload):
        return _("This Word file cannot be added: it is damaged, protected or holds macros.")
    if suffix == ".odt" and not _is_odt(upload, head):
        return _("This OpenDocument file cannot be added: it is damaged or holds macros.")
    return None


def attachment_check(upload: UploadedFile) -> str:
    """The upload's media type when it may be stored; else a ValidationError on "file"."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            {"file": _("Allowed are PDF, Word, OpenDocument, text, PNG and JPEG files.")}
        )
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("A file can be at most 10 MB.")})
    problem = _what_is_wrong(upload, suffix)
    if problem:
        raise ValidationError({"file": problem})
    return ALLOWED_ATTACHMENT_TYPES[suffix]


# --- Virus scanning ------------------------------------------------------------------------------
class _Scanner:
    """clamd's INSTREAM over a Unix or TCP socket, with the timeout on the connect too (the
    clamd package sets it only after connecting, so an unreachable host would hang a worker)."""

    def __init__(self, *, path: str | None, host: str | None, port: int, timeout: float):
        self.path, self.host, self.port, self.timeout = path, host, port, timeout

    def _connect(self) -> socket.socket:
        if self.path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address: str | tuple[str, int] = self.path
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            address = (self.host or "", self.port)
        sock.settimeout(self.timeout)
        try:
            sock.connect(address)
        except OSError as exc:
            sock.close()
            raise clamd.ConnectionError(str(exc)) from exc
        return sock

    def scan(self, upload: UploadedFile) -> str | None:
        """The virus's name when clamd finds one, None when the file is clean."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                for chunk in _chunks(upload):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                answer = b""
                while not answer.endswith(b"\0"):
                    part = sock.recv(4096)
                    if not part:
                        break
                    answer += part
        except OSError as exc:
            raise clamd.ConnectionError(str(exc)) from exc
        text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
        match = clamd.scan_response.match(text)
        if match is None or match.group("status") == "ERROR":
            raise clamd.ResponseError(text)
        return match.group("virus") if match.group("status") == "FOUND" else None


def _scanner() -> _Scanner | None:
    path = getattr(settings, "CLAMD_SOCKET", None)
    host = getattr(settings, "CLAMD_HOST", None)
    if not path and not host:
        return None
    return _Scanner(
        path=path,
        host=host,
        port=getattr(settings, "CLAMD_PORT", 3310),
        timeout=getattr(settings, "CLAMD_TIMEOUT", 10.0),
    )


def virus_scan(upload: UploadedFile) -> None:
    """Nothing when no scanner is configured or clamd finds the file clean; else a
    ValidationError on "file": a virus, or a scanner that is configured but does not answer."""
    scanner = _scanner()
    if scanner is None:
        return
    try:
        virus = scanner.scan(upload)
    except clamd.ClamdError:
        raise ValidationError(
            {
                "file": _(
                    "The virus scanner cannot be reached, so no document can be added now. "
                    "Try again later."
                )
            }
        ) from None
    if virus:
        raise ValidationError({"file": _("This file holds a virus and is not added.")})
