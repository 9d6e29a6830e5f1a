"""Sessions and tokens end when they should (issue 13): a new session key at the second factor,
an absolute lifetime of 12 hours, API tokens that expire, and every session and token of an
account ended by a password reset or change and by deactivation.

Through real requests: the sign-in form and the TOTP step with the test client on the real
session backend (cached_db on PostgreSQL and Redis), the API with real token authentication."""

import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tokens import api_token_create
from meetings.feeds import feed_create
from tests.accounts.factories import PASSWORD, TOTPDeviceFactory
from tests.helpers import current_token, verify_session, worker_caught_up

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/questions/"


def _sign_in_fully(client, user, device):
    """The sign-in form, then the code: what a person does. A code is accepted once; a second
    sign-in in the same test waits, as it were, for the next one."""
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    response = client.post(reverse("accounts:otp-verify"), {"token": current_token(device)})
    assert response.status_code == 302
    return response


def _token_client(secret, address="127.0.0.1"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def _is_signed_in(client) -> bool:
    response = client.get(reverse("accounts:profile"))
    return response.status_code == 200


# --- The second factor rotates the session key ---------------------------------------------------
def test_the_session_key_changes_at_the_second_factor(client, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    before = client.session.session_key
    assert Session.objects.filter(session_key=before).exists()
    client.post(reverse("accounts:otp-verify"), {"token": current_token(device)})
    after = client.cookies["sessionid"].value
    assert after != before
    # The key from before the second factor is worth nothing now.
    assert not Session.objects.filter(session_key=before).exists()
    stale = Client()
    stale.cookies["sessionid"] = before
    assert not _is_signed_in(stale)
    assert _is_signed_in(client)


def test_the_session_key_changes_at_enrolment_too(client, make_user):
    from base64 import b32decode

    from django_otp.oath import totp

    user = make_user(Role.TRIAGE)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    secret = client.get(reverse("accounts:otp-enrol")).context["secret"].replace(" ", "")
    before = client.session.session_key
    client.post(reverse("accounts:otp-enrol"), {"token": f"{totp(b32decode(secret)):06d}"})
    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()
    assert _is_signed_in(client)


# --- Absolute lifetime ---------------------------------------------------------------------------
def _age_the_sign_in(client, seconds):
    session = client.session
    session["_signed_in_at"] = int(time.time()) - seconds
    session.save()


def test_a_session_ends_12_hours_after_signing_in_however_active(client, make_user, settings):
    assert settings.SESSION_ABSOLUTE_HOURS == 12
    user = make_user(Role.EXPERT)
    _sign_in_fully(client, user, TOTPDeviceFactory(user=user))
    assert abs(client.session["_signed_in_at"] - time.time()) < 60
    _age_the_sign_in(client, 12 * 3600 - 60)  # eleven hours and 59 minutes: still in
    assert client.get(reverse("expertise:home")).status_code == 200
    key = client.session.session_key
    _age_the_sign_in(client, 12 * 3600)
    response = client.get(reverse("expertise:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=key).exists()


def test_the_api_refuses_a_session_past_its_lifetime(make_user):
    client = APIClient()
    user = make_user(Role.GENERALIST)
    verify_session(client, user)
    assert client.get(QUESTIONS).status_code == 200
    _age_the_sign_in(client, 13 * 3600)
    assert client.get(QUESTIONS).status_code == 403


def test_signing_in_again_starts_a_new_lifetime(client, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    _sign_in_fully(client, user, device)
    _age_the_sign_in(client, 13 * 3600)
    assert not _is_signed_in(client)
    _sign_in_fully(client, user, device)
    assert _is_signed_in(client)


# --- API tokens expire ---------------------------------------------------------------------------
def test_a_token_expires_after_api_token_days(make_user, settings):
    assert settings.API_TOKEN_DAYS == 90
    token, secret = api_token_create(user=make_user(Role.GENERALIST), name="Zaaksysteem")
    expected = timezone.now() + timedelta(days=90)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert _token_client(secret).get(QUESTIONS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _token_client(secret).get(QUESTIONS)
    assert response.status_code == 401
    assert "verlopen" in response.json()["detail"]
    assert "profielpagina" in response.json()["detail"]


def test_the_expiry_days_are_configurable(make_user, settings):
    settings.API_TOKEN_DAYS = 7
    token, _secret = api_token_create(user=make_user(Role.GENERALIST), name="Kort")
    assert token.expires_at.date() == (timezone.now() + timedelta(days=7)).date()


def test_the_profile_shows_the_expiry_and_hides_expired_tokens(client, make_user):
    user = make_user(Role.GENERALIST)
    verify_session(client, user)
    live, _ = api_token_create(user=user, name="Levend")
    dead, _ = api_token_create(user=user, name="Verlopen")
    ApiToken.objects.filter(pk=dead.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = client.get(reverse("accounts:profile")).text
    assert "Levend" in page and "Verlopen" not in page
    assert "Verloopt" in page


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_an_expiry_from_their_creation(make_user):
    user = make_user(Role.GENERALIST)
    before = [("accounts", "0004_dutch_admin_names")]
    after = [("accounts", "0005_apitoken_expires_at")]
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("accounts", "ApiToken")
        made = timezone.now() - timedelta(days=100)
        old_token = old.objects.create(user_id=user.pk, name="Oud", prefix="a", key_hash="a")
        new_token = old.objects.create(user_id=user.pk, name="Nieuw", prefix="b", key_hash="b")
        old.objects.filter(pk=old_token.pk).update(created_at=made)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    old_token = ApiToken.objects.get(pk=old_token.pk)
    assert old_token.expires_at == made + timedelta(days=90)
    assert old_token.is_expired  # made 100 days ago: expired now
    assert not ApiToken.objects.get(pk=new_token.pk).is_expired


# --- Password reset, change and deactivation end every session and token ------------------------
@pytest.mark.django_db(transaction=True)
def test_a_password_reset_ends_every_session_and_token(make_user, celery_worker, mailoutbox):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    laptop, phone = Client(), Client()
    _sign_in_fully(laptop, user, device)
    _sign_in_fully(phone, user, device)
    _token, secret = api_token_create(user=user, name="Koppeling")
    assert _is_signed_in(laptop) and _is_signed_in(phone)
    assert _token_client(secret).get(QUESTIONS).status_code == 200

    browser = Client()
    browser.post(reverse("accounts:password_reset"), {"email": user.email})
    worker_caught_up()
    link = next(line for line in mailoutbox[0].body.splitlines() if "wachtwoord-herstellen" in line)
    form = browser.get(urlsplit(link).path, follow=True)
    new = "een-nieuw-lang-wachtwoord-42"
    response = browser.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")

    assert not _is_signed_in(laptop) and not _is_signed_in(phone)
    response = _token_client(secret).get(QUESTIONS)
    assert response.status_code == 401
    assert "ingetrokken" in response.json()["detail"]


def test_an_administrator_changing_a_password_ends_that_persons_sessions_and_tokens(make_user):
    admin = make_user(Role.GENERALIST, is_staff=True, is_superuser=True)
    person = make_user(Role.EXPERT)
    theirs = Client()
    _sign_in_fully(theirs, person, TOTPDeviceFactory(user=person))
    _token, secret = api_token_create(user=person, name="Koppeling")
    _feed, feed_secret = feed_create(user=person)
    feed_url = reverse("meetings_calendar:feed", args=[feed_secret])
    assert Client().get(feed_url).status_code == 200
    admin_client = Client()
    _sign_in_fully(admin_client, admin, TOTPDeviceFactory(user=admin))
    new = "een-nieuw-lang-wachtwoord-42"
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert not _is_signed_in(theirs)
    assert _token_client(secret).get(QUESTIONS).status_code == 401
    # The calendar feed's secret link is a credential too (meetings listens).
    assert Client().get(feed_url).status_code == 404
    assert _is_signed_in(admin_client)  # the administrator's own session stays


def test_changing_ones_own_password_in_the_admin_keeps_this_session_only(make_user):
    admin = make_user(Role.GENERALIST, is_staff=True, is_superuser=True)
    device = TOTPDeviceFactory(user=admin)
    here, elsewhere = Client(), Client()
    _sign_in_fully(here, admin, device)
    _sign_in_fully(elsewhere, admin, device)
    new = "een-nieuw-lang-wachtwoord-42"
    response = here.post(
        reverse("admin:auth_user_password_change", args=[admin.pk]),
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)


def test_deactivating_in_the_admin_ends_sessions_and_tokens(make_user):
    admin = make_user(Role.GENERALIST, is_staff=True, is_superuser=True)
    person = make_user(Role.EXPERT)
    theirs = Client()
    _sign_in_fully(theirs, person, TOTPDeviceFactory(user=person))
    token, _secret = api_token_create(user=person, name="Koppeling")
    admin_client = Client()
    _sign_in_fully(admin_client, admin, TOTPDeviceFactory(user=admin))
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            # is_active left out: unticked
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Session.objects.exists() or not _is_signed_in(theirs)
    token.refresh_from_db()
    assert token.revoked_at is not None
