"""The profile page: e-mail preference, and personal API tokens made after the second factor,
shown once, revocable."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def _api_status(secret) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client.get("/api/v1/notifications/").status_code


def test_the_profile_page_needs_the_second_factor(client, make_user):
    client.force_login(make_user(Role.EXPERT))
    for response in (
        client.get(reverse("accounts:profile")),
        client.post(reverse("accounts:token-create"), {"name": "x"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp-enrol"))
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.GENERALIST, Role.TEAM_LEAD, Role.EXPERT, Role.TRIAGE, Role.MUNICIPALITY_ADMIN]
)
def test_every_role_reaches_the_profile_page(client, make_user, role):
    verify_session(client, make_user(role))
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert 'name="notification_email_mode"' in response.text
    assert "utrecht-" in response.text


def test_the_email_preference_can_be_changed(client, make_user):
    user = make_user(Role.EXPERT)
    verify_session(client, user)
    response = client.post(reverse("accounts:profile"), {"notification_email_mode": "daily"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notification_email_mode == User.EmailMode.DAILY
    response = client.post(reverse("accounts:profile"), {"notification_email_mode": "hourly"})
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.text
    user.refresh_from_db()
    assert user.notification_email_mode == User.EmailMode.DAILY


def test_a_token_is_shown_once_and_can_be_revoked(client, make_user):
    user = make_user(Role.GENERALIST)
    verify_session(client, user)
    response = client.post(reverse("accounts:token-create"), {"name": "Zaaksysteem"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    secret = response.text.split('data-testid="api-token-secret">')[1].split("<")[0]
    assert secret.startswith(token.prefix) and len(secret) >= 40
    assert _api_status(secret) == 200

    # The next visit lists the token by name and prefix, never the secret again.
    page = client.get(reverse("accounts:profile")).text
    assert "Zaaksysteem" in page and f"{token.prefix}…" in page
    assert secret not in page

    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api_status(secret) == 401
    assert f"{token.prefix}…" not in client.get(reverse("accounts:profile")).text


def test_a_token_needs_a_name(client, make_user):
    verify_session(client, make_user(Role.GENERALIST))
    response = client.post(reverse("accounts:token-create"), {"name": "   "})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, make_user):
    owner = make_user(Role.GENERALIST)
    token, secret = api_token_create(user=owner, name="mine")
    verify_session(client, make_user(Role.EXPERT))
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _api_status(secret) == 200


def test_token_actions_are_post_only(client, make_user):
    user = make_user(Role.GENERALIST)
    token, _secret = api_token_create(user=user, name="mine")
    verify_session(client, user)
    assert client.get(reverse("accounts:token-create")).status_code == 405
    assert client.get(reverse("accounts:token-revoke", args=[token.pk])).status_code == 405
