"""A document over the size limit in headless Chromium (issue 13): the page stops it before it is
sent and says why at the field (static/js/upload-size.js); the server would refuse it from its
Content-Length anyway (tests/consultation/test_upload_security.py). A file within the limit and
of the right kind goes through; a disguised program comes back with the reason."""

import pytest
from django.urls import reverse

from consultation.models import Attachment
from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in_verified,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 240


def test_a_too_large_document_is_stopped_at_the_field(page, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    question = cast.ask()
    url = reverse("consultation:question", args=[question.pk])
    upload_url = reverse("consultation:attachment-add", args=[question.pk])
    sign_in_verified(page, cast.generalist)
    page.goto(url)
    page.locator("#add-document summary").click()
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    big = {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF.ljust(11 << 20)}
    page.get_by_label("Document").set_input_files(big)
    page.get_by_role("button", name="Uploaden").click()
    error = page.locator("#file-size-error")
    error.wait_for()
    assert "10 MB" in error.inner_text()
    assert page.get_by_label("Document").get_attribute("aria-invalid") == "true"
    assert not [p for p in posts if p.endswith(upload_url)], "the file was sent"
    assert_accessible(page)
    screenshot(page, "upload-too-large")
    assert_reflows_at_320(page, "upload-too-large")

    # A disguised program: sent (it is small), refused by content, the reason at the field.
    page.get_by_label("Document").set_input_files(
        {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": ELF}
    )
    assert page.locator("#file-size-error").count() == 0
    page.get_by_role("button", name="Uploaden").click()
    page.wait_for_url(f"**{upload_url}#add-document")
    assert "Programma's en scripts" in page.locator("#add-document").inner_text()
    assert_accessible(page)
    screenshot(page, "upload-program-refused")

    page.get_by_label("Document").set_input_files(
        {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Uploaden").click()
    page.locator(".wx-messages").wait_for()  # back on the question (the fragment stays)
    assert page.url.split("#")[0].endswith(url)
    assert Attachment.objects.filter(question=question).count() == 1
