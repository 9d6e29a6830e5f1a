"""A redirected question (issue 10): the generalist sees where triage sent it, triage's note and
the next step; asking the chosen pool is one click, with the text carried over and the pool
chosen, and nothing stored until it is saved or sent."""

import re

import pytest
from django.urls import reverse

from consultation.models import Question
from tests.helpers import verify_session
from triage import services

pytestmark = pytest.mark.django_db


def _redirected(tri, target, pool=None):
    question = tri.ask(title="Vraag die elders hoort")
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_redirect(
        worker=tri.worker, question=question, target=target, note="Past beter elders.", pool=pool
    )
    return question


def _section(page: str) -> str:
    start = page.index('id="redirected-heading"')
    return page[start : page.index("</section>", start)]


def test_the_team_sees_where_it_went_the_note_and_asks_the_chosen_pool(client, tri):
    question = _redirected(tri, "other_pool", pool=tri.other_pool)
    verify_session(client, tri.generalist)
    page = client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    section = _section(page)
    assert f"doorgestuurd naar de expertpool {tri.other_pool.name}." in section
    assert "Past beter elders." in section
    assert "Volgende stap" in section
    ask = reverse("wijkteam:question-new", args=[tri.case.pseudonym]) + f"?van={question.pk}"
    assert f'href="{ask}"' in section and f"Vraag het aan {tri.other_pool.name}" in section

    form = client.get(ask).content.decode()
    assert 'value="Vraag die elders hoort"' in form
    assert question.situation in form and question.question in form
    selected = re.search(r'<option value="(\d+)" selected>', form)
    assert selected and int(selected.group(1)) == tri.other_pool.pk
    assert Question.objects.filter(case=tri.case).count() == 1  # nothing stored yet


@pytest.mark.parametrize(
    ("target", "step"),
    [("regular_care", "voorliggend veld"), ("gp", "huisarts")],
)
def test_other_redirects_say_what_to_do_and_offer_to_ask_again(client, tri, target, step):
    question = _redirected(tri, target)
    verify_session(client, tri.generalist)
    section = _section(
        client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    )
    assert step in section and "Opnieuw vragen, met deze tekst" in section


def test_only_the_team_gets_the_carried_over_text(client, tri):
    question = _redirected(tri, "gp")
    verify_session(client, tri.expert)
    page = client.get(reverse("consultation:question", args=[question.pk]))
    assert page.status_code in (403, 404) or 'id="redirected-heading"' not in page.content.decode()
    ask = reverse("wijkteam:question-new", args=[tri.case.pseudonym]) + f"?van={question.pk}"
    assert client.get(ask).status_code in (403, 404)


def test_a_question_that_was_not_redirected_carries_nothing_over(client, tri):
    question = tri.ask(title="Gewoon in de wachtrij")
    verify_session(client, tri.generalist)
    ask = reverse("wijkteam:question-new", args=[tri.case.pseudonym]) + f"?van={question.pk}"
    assert "Gewoon in de wachtrij" not in client.get(ask).content.decode()
