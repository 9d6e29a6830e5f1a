"""Every consultation page renders for the people who may see it."""

import pytest
from django.urls import reverse

from consultation import services
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def test_generalist_pages_render(client, cast):
    question = cast.ask()
    verify_session(client, cast.generalist)
    for url in [
        reverse("wijkteam:home"),
        reverse("wijkteam:resident-new"),
        reverse("wijkteam:case", args=[cast.case.pseudonym]),
        reverse("wijkteam:question-new", args=[cast.case.pseudonym]),
        reverse("consultation:question", args=[question.pk]),
        reverse("consultation:close", args=[question.pk]),
        reverse("consultation:notifications"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_expert_pages_render(client, cast):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    verify_session(client, cast.expert)
    for url in [
        reverse("expertise:home"),
        reverse("expertise:home") + "?urgency=urgent",
        reverse("consultation:question", args=[question.pk]),
        reverse("consultation:notifications"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
