"""List and detail pages keep a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.pagination import PER_PAGE
from consultation import services
from consultation.selectors import CASE_QUESTIONS
from tests.helpers import shared_transaction, verify_session

pytestmark = pytest.mark.django_db


def _fill(cast, n):
    """n questions with advice from two experts each, so prefetches have work to do."""
    questions = []
    for i in range(n):
        question = cast.ask(title=f"Vraag {i}")
        services.question_advise(actor=cast.expert, question=question, body="Advies A")
        services.question_advise(actor=cast.second_expert, question=question, body="Advies B")
        questions.append(question)
    return questions


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture(scope="module")
def filled(module_cast, rows, django_db_blocker):
    """The cast with `rows` questions (the slow part): built once per row count for the three
    list pages, each of which only reads it (and runs in its own savepoint on top of it)."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            _fill(module_cast, rows)
        yield module_cast


# Per page view, before the page's own reads: the user (1) and the OTP device (1). The session
# comes from the cache (cached_db) and is written at most once a minute, the roles and the
# bell's count come from the cache too (accounts.roles, consultation.bell): the warm-up request
# of each test fills them.
REQUEST_OVERHEAD = 2


@pytest.mark.parametrize("rows", [1, 50], scope="module")
def test_expert_inbox_budget(client, filled, django_assert_num_queries, rows):
    cast = filled
    verify_session(client, cast.expert)
    client.get(reverse("expertise:home"))  # warm the session
    # the expert's pools, domains and target groups (1: selectors.keys_read); inbox questions
    # (1) + life domains, target groups and experts prefetches (3); the expert profile (1); the
    # filter form's life domain and target group choices (2)
    with django_assert_num_queries(REQUEST_OVERHEAD + 8):
        response = client.get(reverse("expertise:home"))
    page = response.context["questions"]
    assert len(page) == min(rows, PER_PAGE)  # never more than a page
    assert page.has_next == (rows > PER_PAGE)


@pytest.mark.parametrize("rows", [1, 50], scope="module")
def test_case_list_budget(client, filled, django_assert_num_queries, rows):
    cast = filled
    verify_session(client, cast.generalist)
    client.get(reverse("wijkteam:home"))
    # the user's team ids (1: wijkteam.selectors.case_list) + cases with team and owner (1) +
    # their newest questions with unread markers (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 3):
        response = client.get(reverse("wijkteam:home"))
    # All questions are about one case: it shows its newest few, and links to the rest.
    (case,) = response.context["cases"]
    assert len(case.recent_questions) == min(rows, CASE_QUESTIONS + 1)
    assert ("Meer vragen op de casuspagina" in response.content.decode()) == (rows > 5)


@pytest.mark.parametrize("cases", [1, 30])
def test_team_home_budget_with_many_cases(client, cast, django_assert_num_queries, cases):
    from tests.wijkteam.factories import CaseFactory

    for _ in range(cases - 1):  # the cast has one case of the team already
        CaseFactory(team=cast.case.team, resident=cast.resident, owner=cast.generalist)
    verify_session(client, cast.generalist)
    client.get(reverse("wijkteam:home"))
    with django_assert_num_queries(REQUEST_OVERHEAD + 3):
        response = client.get(reverse("wijkteam:home"))
    page = response.context["cases"]
    assert len(page) == min(cases, PER_PAGE)
    assert page.has_next == (cases > PER_PAGE)


@pytest.mark.parametrize("messages", [1, 50])
def test_question_detail_budget(client, cast, django_assert_num_queries, messages):
    question = cast.ask()
    for i in range(messages):
        services.question_advise(actor=cast.expert, question=question, body=f"Advies {i}")
    verify_session(client, cast.generalist)
    url = reverse("consultation:question", args=[question.pk])
    client.get(url)
    # question (1) + messages, attachments, transitions, earlier versions (triage), life
    # domains, target groups, experts prefetches (7); mark read (one upsert); team membership
    # check (1); the close-out is only read for closed questions
    with django_assert_num_queries(REQUEST_OVERHEAD + 10):
        response = client.get(url)
    assert len(response.context["question"].messages.all()) == messages


@pytest.mark.parametrize("rows", [1, 50], scope="module")
def test_notification_list_budget(client, filled, django_assert_num_queries, rows):
    cast = filled  # each question notifies the asker twice (two advices)
    verify_session(client, cast.generalist)
    client.get(reverse("consultation:notifications"))
    # the notifications with their case pseudonym (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 1):
        response = client.get(reverse("consultation:notifications"))
    page = response.context["notifications"]
    assert len(page) == min(2 * rows, PER_PAGE)
    assert page.has_next == (2 * rows > PER_PAGE)


@pytest.mark.parametrize("rows", [1, 50], scope="module")
def test_answered_questions_budget(client, filled, django_assert_num_queries, rows):
    cast = filled  # the expert advised on every question
    verify_session(client, cast.expert)
    client.get(reverse("expertise:answered"))
    # the expert's keys (1: selectors.keys_read); the page of their newest advice per question,
    # with the question, pseudonym, age and the ratings of their advice (1) + life domains and
    # target groups (2); the summary over their newest advices (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 5):
        response = client.get(reverse("expertise:answered"))
    page = response.context["rows"]
    assert len(page) == min(rows, PER_PAGE)
    assert page.has_next == (rows > PER_PAGE)
