"""Triage follow-up and labels (issue 10): today's decisions lead back to their question; the
expert's one text box is labelled for both of its buttons; the demo banner speaks one language."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.helpers import verify_session
from triage import services

pytestmark = pytest.mark.django_db


def test_todays_decisions_link_to_their_question(client, tri):
    question = tri.ask(title="Vraag voor de triage")
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_answer(worker=tri.worker, question=question, body="Direct beantwoord.")
    verify_session(client, tri.worker)
    home = client.get(reverse("triage:home"))
    link = reverse("triage:question", args=[question.pk])
    decisions = home.content.decode().split('id="today-heading"')[1]
    assert f'href="{link}"' in decisions
    assert client.get(link).status_code == 200


def test_the_experts_text_box_says_it_serves_advice_and_clarification(client, cast):
    question = cast.ask()
    verify_session(client, cast.expert)
    page = client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    assert "Je advies, of wat je nog wilt weten" in page
    assert ">Jouw advies<" not in page


@override_settings(DEMO_MODE=True)
@pytest.mark.parametrize(
    ("language", "banner"),
    [
        ("nl", "dit is een demo-omgeving met verzonnen gegevens"),
        ("en", "this is a demo environment with made-up data"),
    ],
)
def test_the_demo_banner_is_in_the_readers_language(client, cast, language, banner):
    verify_session(client, cast.generalist)
    client.cookies["django_language"] = language
    page = client.get(reverse("wijkteam:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert banner in page


def test_a_message_names_its_author_once_and_labels_the_discipline(client, cast):
    from consultation import services as consultation

    question = cast.ask()
    consultation.question_advise(actor=cast.expert, question=question, body="Bel de schuldhulp.")
    verify_session(client, cast.generalist)
    page = client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    article = page[page.index('<article class="wx-message') :]
    article = article[: article.index("</article>")]
    name = cast.expert.get_full_name()
    assert article.count(name) == 1, article
    discipline = cast.expert.expert_profile.job_title
    assert f"vakgebied: {discipline}" in article


def test_triage_sees_who_declined_and_why_on_the_question(client, tri):
    """The notice "an expert declined" leads to the triage question page: it shows who is on
    the question, who declined, when and why."""
    question = tri.ask(title="Vraag om toe te wijzen")
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_assign(
        worker=tri.worker, question=question, experts=[tri.expert, tri.second_expert]
    )
    services.assignment_decline(
        expert=tri.second_expert, question=question, reason="Ik ben de komende weken met verlof."
    )
    verify_session(client, tri.worker)
    page = client.get(reverse("triage:question", args=[question.pk])).content.decode()
    section = page[page.index('id="experts-heading"') :]
    section = section[: section.index("</section>")]
    assert tri.second_expert.get_full_name() in section
    assert "afgezegd" in section and "Ik ben de komende weken met verlof." in section
    assert tri.expert.get_full_name() in section
