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


@pytest.mark.parametrize("name", ["verslag_Berg.pdf", "zoe_verslag.docx"])
def test_a_name_in_a_file_name_with_underscores_is_found(media, generalist, open_question, name):
    with pytest.raises(PrivacyCheckRequired):
        services.attachment_add(actor=generalist, question=open_question, upload=upload(name))


def test_experts_attach_without_the_teams_guard_but_only_when_they_may(
    media, org, open_question, expert
):
    attachment = services.attachment_add(
        actor=expert, question=open_question, upload=upload("folder.png", b"\x89PNG")
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
