"""Experts learn from feedback (issue 10): the rating and comment the district team gave an
advice, on the question page, and the expert's page of answered questions."""

import pytest
from django.urls import reverse
from guardian.shortcuts import remove_perm

from config.pagination import PER_PAGE
from consultation import services
from consultation.selectors import ADVISE_GRANT, VIEW_GRANT
from tests.consultation.cast import CANARY_STRINGS
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

COMMENT = "Het budgetplan werkte; de verhuurder ging akkoord."


def _close(cast, question, ratings, comment=COMMENT):
    return services.question_close(
        actor=cast.generalist,
        question=question,
        direction="confirmed",
        escalation="avoided",
        comment=comment,
        ratings=ratings,
    )


@pytest.fixture
def rated(cast):
    """A closed question: the expert's advice got a 4, the second expert's a 2, with a comment."""
    question = cast.ask(title="Huurschuld en beslag")
    mine = services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    theirs = services.question_advise(
        actor=cast.second_expert, question=question, body="Vaste lasten eerst."
    )
    _close(cast, question, {mine.pk: 4, theirs.pk: 2})
    return question, mine, theirs


def _page(client, user, question):
    verify_session(client, user)
    response = client.get(reverse("consultation:question", args=[question.pk]))
    assert response.status_code == 200
    shown = {
        m.pk: (m.feedback_usefulness, m.feedback_comment)
        for m in response.context["question"].messages.all()
    }
    return shown, response.content.decode()


# --- On the question page -----------------------------------------------------------------------
def test_the_author_sees_the_rating_and_comment_at_their_advice(client, cast, rated):
    question, mine, theirs = rated
    shown, html = _page(client, cast.expert, question)
    assert shown == {mine.pk: (4, COMMENT), theirs.pk: (None, "")}
    # In words, not only as stars: "4 van 5".
    assert "Nut volgens het wijkteam" in html and "<strong>4 van 5</strong>" in html
    assert COMMENT in html
    assert "2 van 5" not in html


def test_a_colleague_on_the_question_sees_only_their_own_rating(client, cast, rated):
    question, mine, theirs = rated
    shown, html = _page(client, cast.second_expert, question)
    assert shown == {mine.pk: (None, ""), theirs.pk: (2, COMMENT)}
    assert "<strong>2 van 5</strong>" in html and "4 van 5" not in html


def test_the_team_sees_the_ratings_it_gave_but_not_its_comment_at_each_advice(client, cast, rated):
    question, mine, theirs = rated
    shown, html = _page(client, cast.generalist, question)
    assert shown == {mine.pk: (4, ""), theirs.pk: (2, "")}
    assert "4 van 5" in html and "2 van 5" in html


def test_an_unrated_advice_shows_no_feedback(client, cast):
    question = cast.ask()
    mine = services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    shown, html = _page(client, cast.expert, question)
    assert shown == {mine.pk: (None, "")}
    assert "Nut volgens het wijkteam" not in html


def test_closed_again_after_reopening_the_new_rating_counts(client, cast, rated):
    question, mine, theirs = rated
    services.question_reopen(actor=cast.generalist, question=question, reason="Nieuwe brief")
    # Reopened, not yet closed again: the earlier feedback stays readable.
    assert _page(client, cast.expert, question)[0][mine.pk] == (4, COMMENT)
    _close(cast, question, {mine.pk: 5, theirs.pk: 3}, comment="")
    shown, html = _page(client, cast.expert, question)
    assert shown[mine.pk] == (5, "")
    assert COMMENT not in html


# --- My answered questions ---------------------------------------------------------------------
def _answered(client, user, query=""):
    verify_session(client, user)
    response = client.get(reverse("expertise:answered") + query)
    assert response.status_code == 200
    return response


def test_answered_lists_each_question_once_newest_advice_first(client, cast, rated):
    closed, mine, _theirs = rated
    later = cast.ask(title="Schulden na scheiding")
    services.question_advise(actor=cast.expert, question=later, body="Eerste advies.")
    services.question_advise(actor=cast.expert, question=later, body="Nog een advies.")
    services.question_advise(actor=cast.second_expert, question=cast.ask(), body="Niet van mij.")

    response = _answered(client, cast.expert)
    rows = list(response.context["rows"])
    assert [row.question_id for row in rows] == [later.pk, closed.pk]
    newest, rated_row = rows
    assert newest.pk == later.messages.order_by("created_at", "pk").last().pk  # its newest advice
    assert (newest.my_ratings, newest.comment_given) == ([], False)
    assert (rated_row.pk, rated_row.my_ratings, rated_row.comment_given) == (mine.pk, [4], True)
    html = response.content.decode()
    assert "Mijn beantwoorde vragen" in html
    assert "Huurschuld en beslag" in html and cast.case.pseudonym in html
    assert "<strong>4 van 5</strong>" in html and "nog niet beoordeeld" in html
    assert 'data-label="Beoordeling van je advies"' in html  # stacked on phones
    assert not [s for s in CANARY_STRINGS if s.lower() in html.lower()]
    # Summary over the expert's newest advices: three advices, one rated.
    assert response.context["summary"] == {"advices": 3, "rated": 1, "average": 4.0}
    assert "Beoordeeld door het wijkteam: 1 van je laatste 3 adviezen, gemiddeld 4,0 van 5." in html


def test_answered_shows_only_the_experts_own_ratings(client, cast, rated):
    response = _answered(client, cast.second_expert)
    (row,) = response.context["rows"]
    assert (row.my_ratings, row.comment_given) == ([2], True)
    assert "4 van 5" not in response.content.decode()


def test_answered_leaves_out_questions_the_expert_no_longer_sees(client, cast, rated):
    closed, _mine, _theirs = rated
    # Closed, it is no longer open to the network: the grants were what let the expert see it.
    remove_perm(f"consultation.{VIEW_GRANT}", cast.expert, closed)
    remove_perm(f"consultation.{ADVISE_GRANT}", cast.expert, closed)
    response = _answered(client, cast.expert)
    assert list(response.context["rows"]) == []
    assert response.context["summary"]["advices"] == 0
    assert "Huurschuld en beslag" not in response.content.decode()


def test_answered_is_paginated(client, cast):
    for i in range(PER_PAGE + 1):
        question = cast.ask(title=f"Vraag {i}")
        services.question_advise(actor=cast.expert, question=question, body="Advies")
    first = _answered(client, cast.expert).context["rows"]
    second = _answered(client, cast.expert, "?pagina=2").context["rows"]
    assert (len(first), first.has_next, len(second), second.has_next) == (PER_PAGE, True, 1, False)
    assert second.items[0].question.title == "Vraag 0"  # the oldest advice comes last
    assert not {r.pk for r in first} & {r.pk for r in second}


def test_the_navigation_leads_experts_to_their_answered_questions(client, cast):
    html = _answered(client, cast.expert).content.decode()
    link = f'href="{reverse("expertise:answered")}" aria-current="page">Mijn beantwoorde vragen'
    assert link in html
    assert f'href="{reverse("expertise:home")}" aria-current' not in html
    inbox = client.get(reverse("expertise:home")).content.decode()
    assert f'href="{reverse("expertise:home")}" aria-current="page">Inbox' in inbox


@pytest.mark.parametrize("who", ["generalist", "team_lead", "triage", "municipality_admin"])
def test_answered_is_for_experts_only(client, cast, who):
    verify_session(client, getattr(cast, who))
    # Not an expert: the page does not exist for them (404, DESIGN §4.2).
    assert client.get(reverse("expertise:answered")).status_code == 404


def test_the_close_form_tells_the_team_who_reads_its_comment(client, cast):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Bel de verhuurder.")
    verify_session(client, cast.generalist)
    html = client.get(reverse("consultation:close", args=[question.pk])).content.decode()
    assert "De experts van wie je het advies beoordeelt, lezen dit bij hun advies." in html
