"""Personal API tokens: stored hashed, shown once, and the only other way in besides a session
that passed the second factor."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tokens import api_token_create, api_token_revoke
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/questions/"


def _token_client(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_only_the_hash_of_the_secret_is_stored(make_user):
    user = make_user(Role.GENERALIST)
    token, secret = api_token_create(user=user, name="Zaaksysteem")
    token.refresh_from_db()
    assert len(secret) >= 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8]
    assert secret not in {token.name, token.prefix, token.key_hash}


def test_a_token_authenticates_and_counts_as_second_factor(make_user):
    user = make_user(Role.GENERALIST)
    token, secret = api_token_create(user=user, name="Zaaksysteem")
    response = _token_client(secret).get(QUESTIONS)
    assert response.status_code == 200
    assert response.json()["results"] == []
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(make_user):
    user = make_user(Role.GENERALIST)
    token, secret = api_token_create(user=user, name="Zaaksysteem")
    client = _token_client(secret)
    client.get(QUESTIONS)
    token.refresh_from_db()
    first = token.last_used_at
    client.get(QUESTIONS)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(QUESTIONS)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


@pytest.mark.parametrize(
    "header",
    [
        "Token not-a-real-token",
        "Token ",
        "Token two parts",
        "token lowercase-keyword-wrong-secret",
    ],
)
def test_a_wrong_token_is_refused_with_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(QUESTIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused(make_user):
    user = make_user(Role.GENERALIST)
    token, secret = api_token_create(user=user, name="Zaaksysteem")
    client = _token_client(secret)
    assert client.get(QUESTIONS).status_code == 200
    api_token_revoke(user=user, token=token)
    response = client.get(QUESTIONS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_of_an_inactive_user_is_refused(make_user):
    user = make_user(Role.GENERALIST)
    _token, secret = api_token_create(user=user, name="Zaaksysteem")
    user.is_active = False
    user.save()
    assert _token_client(secret).get(QUESTIONS).status_code == 401


def test_a_demo_accounts_token_dies_with_demo_mode(make_user, settings):
    user = make_user(Role.GENERALIST, is_demo_account=True)
    _token, secret = api_token_create(user=user, name="demo")
    settings.DEMO_MODE = True
    assert _token_client(secret).get(QUESTIONS).status_code == 200
    settings.DEMO_MODE = False
    assert _token_client(secret).get(QUESTIONS).status_code == 401


def test_without_credentials_the_api_answers_403():
    assert APIClient().get(QUESTIONS).status_code == 403


def test_an_unverified_session_is_no_credential(make_user):
    client = APIClient()
    client.force_login(make_user(Role.GENERALIST))
    assert client.get(QUESTIONS).status_code == 403
    assert client.get("/api/v1/cases/").status_code == 403


def test_a_verified_session_works(make_user):
    client = APIClient()
    verify_session(client, make_user(Role.GENERALIST))
    assert client.get(QUESTIONS).status_code == 200


def test_the_schema_still_answers(make_user):
    client = APIClient()
    verify_session(client, make_user(Role.EXPERT))
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/questions/{id}/advise/" in body
    assert "tokenAuth" in body


def test_create_api_token_prints_the_secret_once(make_user):
    user = make_user(Role.GENERALIST, email="integratie@wijkexpert.test")
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        "Integratie@Wijkexpert.test",
        "--name",
        "Zaaksysteem",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert token.name == "Zaaksysteem"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in err.getvalue()
    assert _token_client(secret).get(QUESTIONS).status_code == 200


def test_create_api_token_refuses_unknown_and_inactive_users():
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@wijkexpert.test", stdout=StringIO())
    UserFactory(email="gone@wijkexpert.test", is_active=False)
    with pytest.raises(CommandError):
        call_command("create_api_token", "gone@wijkexpert.test", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_revoking_is_idempotent_and_only_for_the_owner(make_user):
    user, other = make_user(Role.GENERALIST), make_user(Role.EXPERT)
    token, _secret = api_token_create(user=user, name="x")
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(user=other, token=token)
    api_token_revoke(user=user, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    assert first is not None and first <= timezone.now()
    api_token_revoke(user=user, token=ApiToken.objects.get(pk=token.pk))
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
