"""attachment_add: random storage names, allowed types and sizes, the privacy guard."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation import services
from consultation.models import Attachment
from consultation.services import PrivacyCheckRequired
from tests.consultation.factories import life_domain
from tests.consultation.services.helpers import NETWORK, make_expert, make_pool


# --- Attachments ---------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name="verslag.pdf", content=b"%PDF-1.4 test", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes() -> bytes:
    """A Word document's container, as Word writes it: the content types first."""
    from io import BytesIO
    from zipfile import ZipFile

    buffer = BytesIO()
    with ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("verslag.pdf", b"%PDF-1.7 echt", True),
        ("notitie.pdf", b"Gewoon tekst, hernoemd naar .pdf", False),
        ("plattegrond.png", PNG, True),
        ("plattegrond.png", b"%PDF-1.7 een pdf met een andere naam", False),
        ("verslag.docx", docx_bytes(), True),
        ("verslag.docx", b"%PDF-1.7", False),
        ("notitie.txt", b"Afspraken: dinsdag bellen, daarna schuldhulp.", True),
        ("notitie.txt", PNG, False),
    ],
)
def test_a_file_is_checked_by_its_content_not_its_name(
    media, expert, open_question, name, content, accepted
):
    add = lambda: services.attachment_add(  # noqa: E731
        actor=expert, question=open_question, upload=upload(name, content)
    )
    if accepted:
        assert add().name == name
    else:
        with pytest.raises(ValidationError) as refused:
            add()
        assert "file" in refused.value.message_dict
        assert not Attachment.objects.exists()


def test_attachment_add_stores_under_a_random_name(media, generalist, open_question):
    attachment = services.attachment_add(
        actor=generalist, question=open_question, upload=upload("Verslag School.PDF"), note="Zie p2"
    )

    assert (attachment.name, attachment.note, attachment.uploaded_by) == (
        "Verslag School.PDF",
        "Zie p2",
        generalist,
    )
    assert (attachment.content_type, attachment.size) == ("application/pdf", 13)
    assert "Verslag" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4 test"


@pytest.mark.parametrize("name", ["script.exe", "foto.gif", "archief.zip", "geen-extensie"])
def test_attachment_types_are_limited(media, generalist, open_question, name):
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(actor=generalist, question=open_question, upload=upload(name))
    assert "file" in refused.value.message_dict
    assert not Attachment.objects.exists()


def test_attachments_are_at_most_ten_megabytes(media, generalist, open_question):
    limit = services.MAX_ATTACHMENT_BYTES
    services.attachment_add(
        actor=generalist, question=open_question, upload=upload("a.txt", b"x" * limit)
    )
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload("b.txt", b"x" * (limit + 1))
        )
    assert "file" in refused.value.message_dict
    assert Attachment.objects.count() == 1


def test_the_teams_note_and_file_name_pass_the_privacy_guard(media, generalist, open_question):
    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload(), note="Brief van Zoë"
        )
    assert set(blocked.value.findings) == {"note"}
    with pytest.raises(PrivacyCheckRequired) as blocked:
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload("Berg verslag.pdf")
        )
    assert set(blocked.value.findings) == {"file"}
    assert not Attachment.objects.exists()

    services.attachment_add(
        actor=generalist,
        question=open_question,
        upload=upload(),
        note="Brief van Zoë",
        privacy_confirmed=True,
    )
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content"), [("verslag_Berg.pdf", b"%PDF-1.4"), ("zoe_verslag.docx", docx_bytes())]
)
def test_a_name_in_a_file_name_with_underscores_is_found(
    media, generalist, open_question, name, content
):
    with pytest.raises(PrivacyCheckRequired):
        services.attachment_add(
            actor=generalist, question=open_question, upload=upload(name, content)
        )


def test_experts_attach_without_the_teams_guard_but_only_when_they_may(
    media, org, open_question, expert
):
    attachment = services.attachment_add(
        actor=expert, question=open_question, upload=upload("folder.png", PNG)
    )
    assert attachment.content_type == "image/png"
    housing = life_domain("wonen-en-leefbaarheid", "Wonen en leefbaarheid")
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=make_expert(make_pool(org, NETWORK), domains=[housing]),
            question=open_question,
            upload=upload(),
        )
    assert Attachment.objects.count() == 1


def test_no_attachments_on_final_questions(media, generalist, open_question):
    services.question_withdraw(actor=generalist, question=open_question)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=generalist, question=open_question, upload=upload())
    assert not Attachment.objects.exists()
