"""Issue 8: "a reply sent twice at once" made two. Two submits of the same form with the same
token, at the same moment, each in its own thread on its own PostgreSQL connection: one makes
the record, the other waits on the unique index until the first has committed and is then taken
where the first went. The first claim holds its row a moment (together.holding_claims), so the
two really meet; and when the first makes nothing, the second does the work itself.

Two real HTTP requests to the live server at once: test_http.py.
"""

from copy import deepcopy

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client

from consultation import services
from submissions import web
from submissions.models import Submission
from submissions.web import FIELD, new_token
from tests.helpers import verify_session
from tests.submissions import forms
from tests.submissions.together import assert_the_second_waited, holding_claims, run_together

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = [
    forms.reply,
    forms.resident,
    forms.question_sent,
    forms.draft_sent,
    forms.advice,
    forms.close_out,
    *forms.TRIAGE_DECISIONS[:1],
    forms.TRIAGE_DECISIONS[3],  # assign
    forms.next_question,
    forms.absence,
]


def clients_of(user, count: int) -> list[Client]:
    """`count` clients on one signed-in session: one browser, several requests."""
    first = Client()
    verify_session(first, user)
    others = [Client() for _ in range(count - 1)]
    for other in others:
        other.cookies = deepcopy(first.cookies)
    return [first, *others]


def post_all_at_once(form: forms.Form, token: str, count: int = 2) -> list[dict]:
    def post(client):
        return lambda: client.post(form.url, {**form.data(), FIELD: token})

    return run_together([post(client) for client in clients_of(form.user, count)])


@pytest.mark.parametrize("scenario", AT_ONCE, ids=lambda s: s.__name__)
def test_two_submits_at_once_make_one_record(cast, scenario, monkeypatch):
    form = scenario(cast)
    claimed_at = holding_claims(monkeypatch, web)

    records = post_all_at_once(form, new_token())

    assert form.count() == 1
    assert_the_second_waited(records, claimed_at)
    responses = [r["value"] for r in records]
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    told = [[str(m) for m in get_messages(r.wsgi_request)] for r in responses]
    assert sum("Dit was al verstuurd." in t for t in told) == 1
    assert Submission.objects.count() == 1


def test_five_replies_at_once_make_one(cast, monkeypatch):
    form = forms.reply(cast)
    claimed_at = holding_claims(monkeypatch, web)
    records = post_all_at_once(form, new_token(), count=5)
    assert form.count() == 1
    assert_the_second_waited(records, claimed_at)
    assert {r["value"].status_code for r in records} == {302}


def test_when_the_first_makes_nothing_the_second_does_the_work(cast, monkeypatch):
    """The first submit is refused (here: the service says no, once); its claim is released in
    the same transaction, so the submit that waited on it goes on and sends the reply."""
    form = forms.reply(cast)
    claimed_at = holding_claims(monkeypatch, web)
    real = services.question_reply
    calls = []

    def refuse_the_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise ValidationError("Even niet.")
        return real(**kwargs)

    monkeypatch.setattr(services, "question_reply", refuse_the_first)

    records = post_all_at_once(form, new_token())

    assert len(calls) == 2  # both did the work: the second was not told "already sent"
    assert len(claimed_at) == 2
    assert form.count() == 1
    assert {r["value"].status_code for r in records} == {302}
    assert Submission.objects.count() == 1


def test_when_the_first_fails_outright_the_second_does_the_work(cast, monkeypatch):
    """A crash in the first request (a 500) rolls its claim back with everything else."""
    form = forms.advice(cast)
    holding_claims(monkeypatch, web)
    real = services.question_advise
    calls = []

    def crash_the_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "question_advise", crash_the_first)
    clients = clients_of(form.user, 2)
    for client in clients:
        client.raise_request_exception = False

    records = run_together(
        [
            (lambda c=client: c.post(form.url, {**form.data(), FIELD: "same-token-1234567890"}))
            for client in clients
        ]
    )

    assert sorted(r["value"].status_code for r in records) == [302, 500]
    assert form.count() == 1
