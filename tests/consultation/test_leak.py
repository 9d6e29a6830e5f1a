"""The canary test (DESIGN §7): after a whole consultation, nothing an outsider can reach
contains the resident's name, birth date or postcode — no page, API response, e-mail or log."""

import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from consultation import services
from consultation.models import Notification
from consultation.tasks import send_daily_digests, send_notification_email
from tests.consultation.cast import CANARY_FIRST, CANARY_STRINGS
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

SECRETS = CANARY_STRINGS  # name, birth date and postcode in every spelling


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [s for s in SECRETS if s.lower() in lowered]


def _journey(cast):
    """Everything that can happen to a question, through the services."""
    cast.second_expert.notification_email_mode = User.EmailMode.DAILY
    cast.second_expert.save()
    question = cast.ask()
    services.question_pick_up(actor=cast.expert, question=question)
    services.question_request_clarification(
        actor=cast.expert, question=question, body="Zijn er kinderen in huis?"
    )
    services.question_reply(
        actor=cast.generalist, question=question, body="Twee kinderen, 6 en 9 jaar."
    )
    services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    services.question_advise(
        actor=cast.second_expert, question=question, body="Vaste lasten eerst."
    )
    services.attachment_add(
        actor=cast.generalist,
        question=question,
        note="Brief van de verhuurder",
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4", "application/pdf"),
    )
    services.question_reply(actor=cast.generalist, question=question, body="Dank!")
    advice = list(question.messages.filter(kind="advice"))
    services.question_close(
        actor=cast.generalist,
        question=question,
        direction="confirmed",
        escalation="avoided",
        comment="Goed geholpen",
        ratings={m.pk: 5 for m in advice},
    )
    services.question_reopen(actor=cast.generalist, question=question, reason="Nieuwe brief")
    # A team member who visits the case page reads the identity (audited): that must not
    # bleed into anything an outsider sees.
    return question


def test_no_identity_reaches_outsiders(client, cast, caplog):
    caplog.set_level(logging.DEBUG)
    question = _journey(cast)
    # E-mails through the real task code: immediate ones and the daily digest.
    for pk in Notification.objects.filter(channel="email", state="pending").values_list(
        "pk", flat=True
    ):
        send_notification_email.apply(args=[pk])
    send_daily_digests.apply()
    verify_session(client, cast.generalist)
    assert CANARY_FIRST in client.get(reverse("wijkteam:case", args=[cast.case.pseudonym])).text
    client.logout()

    outsiders = [
        cast.expert,
        cast.second_expert,
        cast.unmatched_expert,
        cast.foreign_expert,
        cast.triage,
        cast.municipality_admin,
    ]
    urls = [
        "/",
        reverse("expertise:home"),
        reverse("expertise:answered"),
        reverse("triage:home"),
        reverse("reports:home"),
        reverse("consultation:question", args=[question.pk]),
        reverse("consultation:notifications"),
        reverse("wijkteam:case", args=[cast.case.pseudonym]),
        "/profiel/",
        "/api/v1/questions/",
        f"/api/v1/questions/{question.pk}/",
        f"/api/v1/questions/{question.pk}/messages/",
        "/api/v1/notifications/",
        "/api/v1/cases/",
        f"/api/v1/cases/{cast.case.pseudonym}/",
        "/api/v1/residents/",
        f"/api/v1/residents/{cast.resident.pk}/",
        "/api/schema/",
    ]
    checked = 0
    for person in outsiders:
        verify_session(client, person)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code < 500, (url, person)
            body = response.content.decode()
            assert _leaks(body) == [], (url, person.email)
            checked += 1
        client.logout()
    assert checked == len(outsiders) * len(urls)

    outsider_mails = [m for m in mail.outbox if set(m.to) & {p.email for p in outsiders}]
    # The two matching experts were told, one immediately and one by digest.
    assert {m.to[0] for m in outsider_mails} == {cast.expert.email, cast.second_expert.email}
    for message in outsider_mails:
        text = message.subject + message.body
        assert _leaks(text) == []
        assert cast.case.pseudonym in text
        # No case content either: not the title, not the situation (DESIGN §4.5).
        assert question.title not in text and "huurachterstand" not in text.lower()

    for record in caplog.records:
        assert _leaks(record.getMessage()) == [], record.getMessage()
