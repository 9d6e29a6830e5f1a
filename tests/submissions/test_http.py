"""A reply sent twice at once over real HTTP (pytest-django's live server, a threaded WSGI
server: each request in its own thread, on its own database connection), the way the issue's
observation was made: two POSTs of the same page's form, one message."""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from submissions import web
from tests.helpers import verify_session
from tests.submissions import forms
from tests.submissions.together import holding_claims

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """A signed-in session over plain HTTP: cookies kept, redirects not followed."""

    def __init__(self, live_server, user):
        client = Client()
        verify_session(client, user)
        self.netloc = urlsplit(live_server.url).netloc
        self.cookies = {"sessionid": client.cookies["sessionid"].value}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection(self.netloc, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        connection.close()
        return response.status, response.getheader("Location"), content


def test_a_reply_posted_twice_at_once_over_http_is_one_message(live_server, cast, monkeypatch):
    form = forms.reply(cast)
    question_url = reverse("consultation:question", args=[cast.case.questions.get().pk])
    browser = Browser(live_server, form.user)
    status, _location, page = browser.request("GET", question_url)
    assert status == 200
    reply_form = page[page.index(f'action="{form.url}"') :]
    fields = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply_form)[
            1
        ],
        web.FIELD: re.search(rf'name="{web.FIELD}" value="([^"]+)"', reply_form)[1],
        **form.data(),
    }
    claimed_at = holding_claims(monkeypatch, web)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(lambda _: browser.request("POST", form.url, urlencode(fields)), [1, 2])
        )

    assert [a[0] for a in answers] == [302, 302]
    assert answers[0][1] == answers[1][1] == question_url
    assert len(claimed_at) == 1
    assert form.count() == 1
    # The page both land on shows the one message.
    _status, _location, landed = browser.request("GET", question_url)
    assert landed.count("Aanvulling: de verhuurder belde vanochtend.") == 1
