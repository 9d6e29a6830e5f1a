"""The advice time offered on the question page (issue 11): right after written advice its
author (an expert) registers the minutes it took, once; the panel costs no query for anyone
else and one for the author."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import request_roles
from consultation import panels
from consultation.selectors import question_detail
from consultation.services import question_advise
from hours.models import TimeEntry
from hours.panels import advice_time_panel
from hours.services import time_entry_register_advice
from submissions.web import FIELD, new_token
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session
from tests.hours.helpers import advice_by

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


# --- The advice time on the question page ------------------------------------------------------
def test_the_advice_time_is_offered_on_the_question_page_once(client, cast):
    message = advice_by(cast)
    question_url = reverse("consultation:question", args=[message.question_id])
    verify_session(client, cast.expert)
    html = _html(client.get(question_url))
    assert "Hoeveel tijd kostte dit advies?" in html
    url = reverse("hours:advice-time", args=[message.pk])
    assert f'action="{url}"' in html
    data = {"minutes": "25", FIELD: new_token()}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == question_url
    assert client.post(url, data).status_code == 302  # the double click
    entry = TimeEntry.objects.get(message=message)
    assert (entry.minutes, entry.status, entry.activity) == (25, "confirmed", "advice")
    html = _html(client.get(question_url))
    assert "Geregistreerd: 25 minuten voor je advies." in html
    assert "Geregistreerd voor je advies van" in html and ": 25 min." in html
    assert "Hoeveel tijd kostte dit advies?" not in html
    # A second register (another token) keeps the first.
    again = client.post(url, {"minutes": "50", FIELD: new_token()})
    assert again.status_code == 302
    assert TimeEntry.objects.get(message=message).minutes == 25
    # The district team and the other experts see no such section.
    for other in (cast.generalist, cast.second_expert):
        verify_session(client, other)
        response = client.get(question_url)
        assert response.status_code == 200
        assert "Tijd voor je advies" not in _html(response)


def test_bad_advice_minutes_are_a_form_error(client, cast):
    message = advice_by(cast)
    verify_session(client, cast.expert)
    url = reverse("hours:advice-time", args=[message.pk])
    for bad in ("", "veel", "0", "601"):
        response = client.post(url, {"minutes": bad, FIELD: new_token()})
        assert response.status_code == 400, bad
        assert "Vul de minuten in als een heel getal van 1 tot en met 600." in _html(response)
        assert message.question.case.pseudonym in _html(response)
    assert not TimeEntry.objects.filter(message=message).exists()


def _panel_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request_roles(request)  # read once per request anyway (the navigation)
    return request


def test_the_advice_panel_costs_nothing_but_for_the_author(cast, django_assert_num_queries):
    coordinator = UserFactory()
    cast.pool.coordinators.add(coordinator)
    question = advice_by(cast).question
    question_advise(actor=coordinator, question=question, body="Ook vanuit de coördinatie.")
    for user, queries in (
        (cast.generalist, 0),
        (cast.second_expert, 0),
        (coordinator, 0),  # wrote advice, but is no expert
        (cast.expert, 1),
    ):
        request = _panel_request(user)
        shown = question_detail(user=user, pk=question.pk)
        with django_assert_num_queries(queries):
            panel = advice_time_panel(request, shown)
        assert (panel is not None) == (user == cast.expert), user
    # Registered, the author's panel is still the one query.
    time_entry_register_advice(
        expert=cast.expert, message=question.messages.get(author=cast.expert), minutes=20
    )
    request = _panel_request(cast.expert)
    shown = question_detail(user=cast.expert, pk=question.pk)
    with django_assert_num_queries(1):
        panel = advice_time_panel(request, shown)
    assert panel is not None
    ((time, form),) = panel["advice_times"]
    assert (time.minutes, time.counted, form) == (20, 20, None)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_question_page_pays_one_query_for_the_authors_panel(client, cast, monkeypatch):
    message = advice_by(cast)
    url = reverse("consultation:question", args=[message.question_id])
    counts = {}
    for user in (cast.expert, cast.second_expert):
        verify_session(client, user)
        client.get(url)  # warm the session, roles and bell
        with_panel = _count(client, url)
        without = [p for p in panels._PANELS if p is not advice_time_panel]
        monkeypatch.setattr(panels, "_PANELS", without)
        counts[user] = with_panel - _count(client, url)
        monkeypatch.undo()
    assert counts == {cast.expert: 1, cast.second_expert: 0}
