"""Throttles against guessing (issue 13): sign-in per account+address and per address across
accounts, failed API tokens per address, password-reset requests per address and per target,
with the same answer for known and unknown addresses. Real requests, real Redis and Celery."""

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tokens import api_token_create
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import worker_caught_up

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"
RESET = "accounts:password_reset"
QUESTIONS = "/api/v1/questions/"


def _sign_in(client, email, password, address):
    return client.post(
        reverse(LOGIN), {"username": email, "password": password}, REMOTE_ADDR=address
    )


# --- Sign-in -------------------------------------------------------------------------------------
def test_spraying_many_accounts_from_one_address_is_throttled(client, settings):
    """One wrong password for each of 40 accounts from one address: the address is stopped at
    LOGIN_ADDRESS_FAILURE_LIMIT failures, though no account reached its own limit of five."""
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 30
    assert settings.AXES_FAILURE_LIMIT == 5
    users = [UserFactory() for _ in range(40)]
    answers = [_sign_in(client, u.email, "Welkom2026!", "10.1.1.1").status_code for u in users]
    assert answers[:29] == [200] * 29  # the form again, "not known"
    assert answers[29:] == [429] * 11
    # Stopped for every account from that address, even with the right password ...
    assert _sign_in(client, users[0].email, PASSWORD, "10.1.1.1").status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but not from anywhere else.
    other = Client()
    assert _sign_in(other, users[0].email, PASSWORD, "10.1.1.2").status_code == 302
    assert other.session["_auth_user_id"] == str(users[0].pk)


def test_a_few_failures_from_a_shared_address_lock_nobody_else(client):
    """Colleagues behind one NAT address: one of them locking their own account leaves the
    others free to sign in from that address."""
    careless, colleague = UserFactory(), UserFactory()
    for _ in range(5):
        _sign_in(client, careless.email, "nope", "10.2.2.2")
    assert _sign_in(client, careless.email, PASSWORD, "10.2.2.2").status_code == 429
    assert _sign_in(Client(), colleague.email, PASSWORD, "10.2.2.2").status_code == 302


def test_a_successful_sign_in_does_not_reset_the_addresss_count_for_others(client, settings):
    """The address's count is over all accounts: signing into an account of one's own does not
    wipe the failures against the others."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    own = UserFactory()
    targets = [UserFactory() for _ in range(6)]
    for target in targets[:5]:
        assert _sign_in(client, target.email, "nope", "10.3.3.3").status_code == 200
    assert _sign_in(Client(), own.email, PASSWORD, "10.3.3.3").status_code == 302
    assert _sign_in(client, targets[5].email, "nope", "10.3.3.3").status_code == 429


# --- API tokens ----------------------------------------------------------------------------------
def test_wrong_api_tokens_from_one_address_are_throttled(make_user, settings):
    assert settings.API_TOKEN_ADDRESS_FAILURE_LIMIT == 20
    _token, secret = api_token_create(user=make_user(Role.GENERALIST), name="Zaaksysteem")
    guesser = APIClient()
    for attempt in range(20):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token guess-{attempt}")
        assert guesser.get(QUESTIONS, REMOTE_ADDR="10.4.4.4").status_code == 401
    guesser.credentials(HTTP_AUTHORIZATION="Token guess-21")
    response = guesser.get(QUESTIONS, REMOTE_ADDR="10.4.4.4")
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert "API-sleutel" in response.json()["detail"]
    # Even the right token is refused from there (else 429 vs 200 would still answer guesses)...
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert guesser.get(QUESTIONS, REMOTE_ADDR="10.4.4.4").status_code == 429
    # ... and works from anywhere else.
    owner = APIClient()
    owner.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert owner.get(QUESTIONS, REMOTE_ADDR="10.4.4.5").status_code == 200


def test_right_tokens_are_not_counted(make_user, settings):
    settings.API_TOKEN_ADDRESS_FAILURE_LIMIT = 3
    _token, secret = api_token_create(user=make_user(Role.GENERALIST), name="Zaaksysteem")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    for _ in range(10):
        assert client.get(QUESTIONS).status_code == 200


# --- Password reset ------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_ten_reset_requests_send_at_most_the_allowed_mails(
    client, settings, celery_worker, mailoutbox
):
    """Through the real path: the view, the on-commit publish, the worker's task."""
    assert settings.PASSWORD_RESET_TARGET_LIMIT == 3
    UserFactory(email="sanne@wijkexpert.test")
    for n in range(10):
        # From ten addresses: the per-target limit holds whoever asks.
        response = client.post(
            reverse(RESET), {"email": "Sanne@Wijkexpert.test"}, REMOTE_ADDR=f"10.5.5.{n}"
        )
        assert response["Location"] == reverse("accounts:password_reset_done")
    worker_caught_up()
    assert len(mailoutbox) == 3
    assert {tuple(m.to) for m in mailoutbox} == {("sanne@wijkexpert.test",)}


def test_reset_requests_from_one_address_are_throttled(client, settings):
    assert settings.PASSWORD_RESET_ADDRESS_LIMIT == 10
    for n in range(10):
        response = client.post(reverse(RESET), {"email": f"iemand{n}@wijkexpert.test"})
        assert response.status_code == 302
    response = client.post(reverse(RESET), {"email": "nog.een@wijkexpert.test"})
    assert response.status_code == 429
    assert "te vaak" in response.text
    # Another address is not affected.
    other = client.post(reverse(RESET), {"email": "x@wijkexpert.test"}, REMOTE_ADDR="10.6.6.6")
    assert other.status_code == 302


def _reset_request(email):
    """One reset request from a fresh browser: (status, Location, body, queries, on-commit
    callbacks). The callbacks are captured, not run: what the request itself does."""
    client = Client()
    client.get(reverse(RESET))  # the CSRF cookie and a session, as a browser has them
    with (
        CaptureQueriesContext(connection) as queries,
        TestCase.captureOnCommitCallbacks(execute=False) as callbacks,
    ):
        response = client.post(reverse(RESET), {"email": email})
    return response.status_code, response["Location"], response.content, len(queries), callbacks


def test_a_known_and_an_unknown_address_get_the_same_answer(mailoutbox):
    """The same status, redirect and body, the same database work (none: the address is not
    looked up in the request) and one queued task each: nothing tells them apart, not even
    the time the answer takes."""
    UserFactory(email="bekend@wijkexpert.test")
    known = _reset_request("bekend@wijkexpert.test")
    unknown = _reset_request("onbekend@wijkexpert.test")
    assert known[:4] == unknown[:4]
    assert known[3] == 0  # no query at all: the lookup is the task's
    assert len(known[4]) == len(unknown[4]) == 1
    assert mailoutbox == []  # nothing mailed from the request


@pytest.mark.django_db(transaction=True)
def test_the_task_mails_a_known_address_only(celery_worker, mailoutbox):
    UserFactory(email="bekend@wijkexpert.test")
    for email in ("bekend@wijkexpert.test", "onbekend@wijkexpert.test"):
        Client().post(reverse(RESET), {"email": email})
    worker_caught_up()
    assert [m.to for m in mailoutbox] == [["bekend@wijkexpert.test"]]
    assert "http://127.0.0.1:8000/wachtwoord-herstellen/" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_the_reset_task_sends_once_per_request(celery_worker, mailoutbox):
    """Run twice (a worker died before acknowledging): one mail."""
    from accounts.tasks import send_password_reset
    from tests.helpers import run_on_worker

    UserFactory(email="bekend@wijkexpert.test")
    run_on_worker(send_password_reset, "bekend@wijkexpert.test", "request-1")
    run_on_worker(send_password_reset, "bekend@wijkexpert.test", "request-1")
    assert len(mailoutbox) == 1
