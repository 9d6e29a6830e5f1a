"""A refused upload is not invisible (issue 10): the page answers 400 with the "Add a document"
panel open, the reason next to the field, and the cursor on the field."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation.models import Attachment
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    start = html.index('id="add-document"')
    return html[html.rindex("<details", 0, start) : html.index("</details>", start)]


def test_a_refused_upload_comes_back_with_the_panel_open_and_the_reason(
    client, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    question = cast.ask()
    verify_session(client, cast.generalist)
    page = client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    assert not _panel(page).split(">")[0].endswith(" open")  # closed until it is used

    renamed = SimpleUploadedFile("verslag.pdf", b"Gewoon tekst", content_type="application/pdf")
    response = client.post(
        reverse("consultation:attachment-add", args=[question.pk]),
        {"file": renamed, "note": ""},
    )
    assert response.status_code == 400
    panel = _panel(response.content.decode())
    assert panel.split(">")[0].endswith(" open")
    assert "niet wat de naam zegt" in panel
    (file_input,) = re.findall(r"<input[^>]*type=\"file\"[^>]*>", panel)
    assert "autofocus" in file_input
    assert not Attachment.objects.exists()
