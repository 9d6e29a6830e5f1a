"""Issue 8: "five of five double submits created two records". Every form that makes something,
sent twice with its one-time token (the double click, a resend after a slow answer), makes one
record, and the second submit is taken where the first went, told "Dit was al verstuurd.".

The concurrent variant (two requests at once) is in test_concurrent_submits.py.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from consultation.models import Message, Status
from submissions.models import Submission
from submissions.web import FIELD, new_token
from tests.helpers import verify_session
from tests.submissions.forms import FORMS, Form, reply, resident

pytestmark = pytest.mark.django_db

ALREADY_SENT = "Dit was al verstuurd."


def told(response) -> list[str]:
    """What the person is told after this response (the messages not yet shown, the earlier
    ones included: the test client does not follow the redirects)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def signed_in(user) -> Client:
    client = Client()
    verify_session(client, user)
    return client


def send(client: Client, form: Form, token: str | None):
    data = form.data()
    if token is not None:
        data[FIELD] = token
    return client.post(form.url, data)


@pytest.mark.parametrize("scenario", FORMS, ids=lambda s: s.__name__)
def test_a_second_submit_of_the_same_token_makes_nothing_and_goes_where_the_first_went(
    cast, scenario
):
    form = scenario(cast)
    client = signed_in(form.user)
    token = new_token()

    first = send(client, form, token)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert ALREADY_SENT not in told(first)
    assert form.count() == 1

    second = send(client, form, token)
    assert second.status_code == 302
    assert second.url == first.url
    assert told(second)[-1] == ALREADY_SENT
    assert form.count() == 1
    # And the page it goes to answers (the first result, shown from the current object).
    assert client.get(second.url).status_code == 200


def test_without_a_token_a_form_works_as_before(cast):
    """Older pages, scripts and the other tests post without a token: nothing changes for them
    (and nothing stops their double submit either: the token is what does)."""
    form = reply(cast)
    client = signed_in(form.user)
    assert send(client, form, None).status_code == 302
    assert send(client, form, None).status_code == 302
    assert form.count() == 2
    assert not Submission.objects.exists()


def test_a_new_token_is_a_new_submission(cast):
    form = reply(cast)
    client = signed_in(form.user)
    send(client, form, new_token())
    send(client, form, new_token())
    assert form.count() == 2


def test_every_form_that_makes_something_renders_a_token(cast):
    form = reply(cast)
    client = signed_in(form.user)
    question = form.url.rstrip("/").rsplit("/", 2)[-2]
    page = client.get(reverse("consultation:question", args=[question])).content.decode()
    tokens = re.findall(rf'name="{FIELD}" value="([^"]+)"', page)
    # The reply form, the document form and the withdraw form (one token each, never the same).
    assert len(tokens) == 3
    assert len(set(tokens)) == 3
    assert client.get(reverse("wijkteam:resident-new")).content.decode().count(FIELD) == 1


# --- A submit that made nothing keeps its token usable --------------------------------------------
def test_a_form_with_errors_keeps_its_token_and_shows_it_again(cast):
    form = reply(cast)
    client = signed_in(form.user)
    token = new_token()

    invalid = client.post(form.url, {"body": "", FIELD: token})
    assert invalid.status_code == 400
    # The form comes back with the same token: fixing it and sending again is one submission.
    assert f'name="{FIELD}" value="{token}"' in invalid.content.decode()
    assert not Submission.objects.exists()

    fixed = send(client, form, token)
    assert fixed.status_code == 302
    assert told(fixed)[-1] == "Je bericht is verstuurd."
    assert send(client, form, token).status_code == 302
    assert form.count() == 1


def test_a_refused_submit_keeps_its_token(cast):
    """The privacy guard stops the reply: nothing is made, so the same token, now with the
    confirmation, sends it (once)."""
    form = reply(cast)
    client = signed_in(form.user)
    token = new_token()
    body = f"{cast.resident.first_name} belde vanochtend."

    stopped = client.post(form.url, {"body": body, FIELD: token})
    assert stopped.status_code == 400
    assert "privacy-findings" in stopped.content.decode()
    assert form.count() == 0

    confirmed = {"body": body, "privacy_confirmed": "on", FIELD: token}
    assert client.post(form.url, confirmed).status_code == 302
    assert told(client.post(form.url, confirmed))[-1] == ALREADY_SENT
    assert form.count() == 1


def test_a_question_stopped_by_the_guard_is_stored_once_when_confirmed(cast):
    """'Send' with the resident's name in the text: nothing is stored, the form comes back with
    the text and what was found. Sent again as it is, it is stopped again; confirmed, it is
    sent, and a second click of the confirmed form makes no second question."""
    client = signed_in(cast.generalist)
    url = reverse("wijkteam:question-new", args=[cast.case.pseudonym])
    situation = f"{cast.resident.first_name} kan de energierekening niet betalen."
    data = {
        "title": "Energieafsluiting",
        "situation": situation,
        "question": "Wat nu?",
        "life_domains": [cast.expert.expert_profile.life_domains.first().pk],
        "urgency": "normal",
        "help_form": "written",
        "pool": cast.pool.pk,
        "send": "1",
        FIELD: new_token(),
    }
    asked = cast.case.questions.filter(title="Energieafsluiting")
    for _attempt in range(2):
        stopped = client.post(url, data)
        assert stopped.status_code == 200
        assert "privacy-findings" in stopped.content.decode()
        assert situation in stopped.content.decode()  # nothing lost: it is in the form
        assert asked.count() == 0

    confirmed = {**data, "privacy_confirmed": "on"}
    sent = client.post(url, confirmed)
    assert sent.status_code == 302
    assert asked.get().status != Status.DRAFT
    again = client.post(url, confirmed)
    assert again.url == sent.url
    assert told(again)[-1] == ALREADY_SENT
    assert asked.count() == 1


# --- Whose token it is ----------------------------------------------------------------------------
def test_another_users_token_is_no_replay_of_theirs(cast):
    """The team lead sends the same reply with the generalist's token: it is their own first
    submit (their message is made), never a redirect to what the generalist's submit did."""
    form = reply(cast)
    token = new_token()
    send(signed_in(cast.generalist), form, token)

    theirs = send(signed_in(cast.team_lead), form, token)

    assert theirs.status_code == 302
    assert ALREADY_SENT not in told(theirs)
    assert form.count() == 2
    assert set(Message.objects.values_list("author", flat=True)) == {
        cast.generalist.pk,
        cast.team_lead.pk,
    }


def test_a_token_used_in_another_team_shows_nothing_of_the_first(cast):
    """The other team's generalist replays the generalist's registration token: they register
    their own resident in their own team and are never sent to the first case."""
    form = resident(cast)
    token = new_token()
    first = send(signed_in(cast.generalist), form, token)

    other = signed_in(cast.other_generalist)
    data = {**form.data(), "team": cast.other_case.team_id, FIELD: token}
    theirs = other.post(form.url, data)

    assert theirs.status_code == 302
    assert theirs.url != first.url
    assert ALREADY_SENT not in told(theirs)
    assert other.get(first.url).status_code == 404


def test_a_restored_page_with_a_spent_token_and_new_text_is_a_new_submission(cast):
    """The back button may bring the form back with its spent token: what is typed anew is sent,
    not swallowed as a repeat."""
    form = reply(cast)
    client = signed_in(form.user)
    token = new_token()
    send(client, form, token)
    other = client.post(form.url, {"body": "Nog iets anders.", FIELD: token})
    assert other.status_code == 302
    assert ALREADY_SENT not in told(other)
    assert form.count() == 2


def test_a_tampered_token_is_ignored(cast):
    form = reply(cast)
    client = signed_in(form.user)
    for bad in ["", "short", "x" * 200, "<script>"]:
        client.post(form.url, {**form.data(), FIELD: bad})
    assert not Submission.objects.exists()
