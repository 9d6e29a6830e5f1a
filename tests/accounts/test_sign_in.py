"""Sign-in with e-mail + password, then TOTP; every page needs the second factor."""

from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.accounts.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from tests.helpers import current_token, verify_session, worker_caught_up

pytestmark = pytest.mark.django_db

# Pages a signed-in user without a verified second factor may still reach.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp-verify",
    "accounts:otp-enrol",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "health",
    "set_language",
    "admin:login",  # a redirect to accounts:login
    # An invitee choosing their first password (the link's token in the session, else a 404).
    "invitation:welcome",
}


def _argless_url_names(resolver=None, namespace=""):
    """Every named URL pattern of the project that takes no arguments."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _argless_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def _login(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_page_is_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Inloggen" in response.text
    assert 'lang="nl"' in response.text


def test_login_page_is_available_in_english(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
    assert "Sign in" in response.text


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("wijkteam:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_step_then_enrolment_for_a_user_without_device(client):
    user = UserFactory()
    response = _login(client, user.email)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp-enrol"))


def test_wrong_password_shows_a_clear_message(client):
    user = UserFactory()
    response = _login(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "niet bekend" in response.text
    assert "_auth_user_id" not in client.session


def test_email_is_case_insensitive(client):
    user = UserFactory(email="sanne@wijkexpert.test")
    response = _login(client, "Sanne@Wijkexpert.test")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_every_page_needs_the_second_factor(client, make_user):
    """A signed-in user without a verified factor reaches only sign-in/enrolment pages."""
    user = make_user(Role.GENERALIST, is_staff=True, is_superuser=True)
    client.force_login(user)
    names = sorted(set(_argless_url_names()) - OPEN_BEFORE_SECOND_FACTOR)
    assert "home" in names and "wijkteam:home" in names and "admin:index" in names
    for name in names:
        response = client.get(reverse(name))
        if name.startswith("api-"):
            # The API answers instead of redirecting: an unverified session is no credential.
            assert response.status_code == 403, name
            continue
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:otp-enrol")), name


def test_api_docs_open_after_the_second_factor(client, make_user):
    client.force_login(make_user(Role.EXPERT))
    assert client.get(reverse("api-schema")).status_code == 403
    verify_session(client, make_user(Role.GENERALIST))
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


def test_api_is_closed_to_anonymous_users(client):
    assert client.get(reverse("api-schema")).status_code == 403


def test_enrolled_user_is_sent_to_verify_not_enrolment(client, make_user):
    user = make_user(Role.EXPERT)
    TOTPDeviceFactory(user=user)
    client.force_login(user)
    response = client.get(reverse("expertise:home"))
    assert response["Location"].startswith(reverse("accounts:otp-verify"))
    # Enrolling a second device without the first factor is refused.
    response = client.get(reverse("accounts:otp-enrol"))
    assert response["Location"] == reverse("accounts:otp-verify")


def test_verify_with_correct_code_reaches_the_next_page(client, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    url = reverse("accounts:otp-verify") + "?next=" + reverse("expertise:home")
    response = client.post(url, {"token": current_token(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("expertise:home")
    assert client.get(reverse("expertise:home")).status_code == 200


def test_verify_rejects_a_wrong_code(client, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:otp-verify"), {"token": wrong})
    assert response.status_code == 200
    assert "niet juist" in response.text
    assert client.get(reverse("expertise:home")).status_code == 302


def test_verify_rejects_malformed_input_with_a_message(client, make_user):
    user = make_user(Role.EXPERT)
    TOTPDeviceFactory(user=user)
    client.force_login(user)
    response = client.post(reverse("accounts:otp-verify"), {"token": "abc"})
    assert response.status_code == 200
    assert "6 cijfers" in response.text


def test_verify_ignores_an_external_next(client, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:otp-verify") + "?next=https://evil.example/",
        {"token": current_token(device)},
    )
    assert response["Location"] == reverse("home")


def test_enrolment_shows_a_qr_code_and_confirms_the_device(client, make_user):
    user = make_user(Role.TRIAGE)
    client.force_login(user)
    response = client.get(reverse("accounts:otp-enrol"))
    assert response.status_code == 200
    assert "<svg" in response.text and "wx-qr" in response.text
    secret = response.context["secret"].replace(" ", "")
    # A reload shows the same secret: the half-finished device is reused.
    assert client.get(reverse("accounts:otp-enrol")).context["secret"].replace(" ", "") == secret
    token = f"{totp(b32decode(secret)):06d}"
    response = client.post(reverse("accounts:otp-enrol"), {"token": token})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed is True
    assert client.get(reverse("triage:home")).status_code == 200


def test_another_session_never_sees_the_enrolment_secret(client, make_user):
    """Someone who knows the password must not learn the secret the owner is enrolling."""
    from django.test import Client

    user = make_user(Role.TRIAGE)
    attacker = Client()
    attacker.force_login(user)
    attacker_secret = attacker.get(reverse("accounts:otp-enrol")).context["secret"]
    client.force_login(user)
    owner_secret = client.get(reverse("accounts:otp-enrol")).context["secret"]
    assert owner_secret != attacker_secret
    # The attacker's half-finished device is gone: its code confirms nothing.
    token = f"{totp(b32decode(attacker_secret.replace(' ', ''))):06d}"
    attacker.post(reverse("accounts:otp-enrol"), {"token": token})
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_confirming_a_second_factor_is_mailed_to_the_owner(client, make_user):
    user = make_user(Role.TRIAGE)
    client.force_login(user)
    secret = client.get(reverse("accounts:otp-enrol")).context["secret"].replace(" ", "")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("accounts:otp-enrol"), {"token": f"{totp(b32decode(secret)):06d}"})
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "tweestapsverificatie" in mail.outbox[0].body.lower()


def test_enrolment_rejects_a_wrong_code(client, make_user):
    user = make_user(Role.TRIAGE)
    client.force_login(user)
    client.get(reverse("accounts:otp-enrol"))
    response = client.post(reverse("accounts:otp-enrol"), {"token": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.GENERALIST, "wijkteam:home"),
        (Role.TEAM_LEAD, "wijkteam:home"),
        (Role.EXPERT, "expertise:home"),
        (Role.TRIAGE, "triage:home"),
        (Role.MUNICIPALITY_ADMIN, "reports:home"),
    ],
)
def test_each_role_lands_on_its_own_home(client, make_user, role, home):
    user = make_user(role)
    verify_session(client, user)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse(home)
    assert client.get(reverse(home)).status_code == 200


@pytest.mark.parametrize("home", ["wijkteam:home", "expertise:home", "triage:home", "reports:home"])
def test_role_homes_are_closed_to_other_roles(client, make_user, home):
    roles = {
        "wijkteam:home": Role.EXPERT,
        "expertise:home": Role.GENERALIST,
        "triage:home": Role.MUNICIPALITY_ADMIN,
        "reports:home": Role.TRIAGE,
    }
    verify_session(client, make_user(roles[home]))
    # A role's home does not exist for anyone without the role: a 404, never a 403 (DESIGN
    # §4.2; the municipality's figures since issue 12, the other homes since issue 13).
    assert client.get(reverse(home)).status_code == 404


def test_a_person_with_two_roles_sees_both_in_the_navigation(client, make_user, org):
    user = make_user(Role.GENERALIST)
    org["pool"].triage_workers.add(user)
    verify_session(client, user)
    response = client.get(reverse("wijkteam:home"))
    assert reverse("triage:home") in response.text
    assert client.get(reverse("triage:home")).status_code == 200


def test_user_without_role_sees_an_explanation(client):
    verify_session(client, UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Nog geen rol" in response.text


def test_admin_needs_the_second_factor_and_uses_our_sign_in(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client.get(reverse("admin:login"))
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 302
    verify_session(client, admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_logout_ends_the_session(client, make_user):
    verify_session(client, make_user(Role.EXPERT))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("expertise:home"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_email(client, celery_worker, mailoutbox):
    """The link is mailed by the worker (accounts.tasks.send_password_reset) and works."""
    user = UserFactory(email="reset@wijkexpert.test")
    response = client.post(reverse("accounts:password_reset"), {"email": "reset@wijkexpert.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    worker_caught_up()
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/wachtwoord-herstellen/" in line)
    response = client.get(urlsplit(link).path, follow=True)
    assert response.context["validlink"] is True
    new = "een-nieuw-lang-wachtwoord-42"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@wijkexpert.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_lockout_holds_for_that_address_only(client):
    """Per account and address (issue 13): five wrong passwords from one address lock the
    account there, not for its owner elsewhere."""
    user = UserFactory()
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": user.email, "password": "nope"},
            REMOTE_ADDR="10.0.0.1",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_language_can_be_chosen_before_signing_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/inloggen/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    assert "Sign in" in client.get(reverse("accounts:login")).text


def test_activity_extends_the_idle_session(client, make_user):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    verify_session(client, make_user(Role.EXPERT))
    # 14 idle minutes: one minute left. A request pushes the expiry 15 minutes ahead again.
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=1))
    assert client.get(reverse("expertise:home")).status_code == 200
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + timezone.timedelta(minutes=14)


def test_failed_logins_are_throttled(client):
    user = UserFactory()
    for attempt in range(5):
        # Changing the capitals does not start a new count.
        email = user.email.upper() if attempt % 2 else user.email
        _login(client, email, "wrong-password")
    response = _login(client, user.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text
    assert "_auth_user_id" not in client.session


def test_idle_session_times_out(client, make_user, settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    verify_session(client, make_user(Role.EXPERT))
    client.get(reverse("expertise:home"))
    assert client.session.get_expiry_age() == 15 * 60
    # Simulate 16 idle minutes: the cached copy has timed out, the stored session has expired.
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.models import Session
    from django.core.cache import cache
    from django.utils import timezone

    cache.delete(KEY_PREFIX + client.session.session_key)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(minutes=1))
    response = client.get(reverse("expertise:home"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_idle_timeout_is_refreshed_at_most_once_a_minute(client, make_user, settings):
    """No session write on every request: the expiry moves when it was last moved a minute
    ago or more (accounts.middleware.SessionRefreshMiddleware)."""
    from django.contrib.sessions.models import Session

    verify_session(client, make_user(Role.EXPERT))
    client.get(reverse("expertise:home"))  # the first request refreshes
    written = Session.objects.get().expire_date
    client.get(reverse("expertise:home"))
    assert Session.objects.get().expire_date == written  # within the minute: not written
    session = client.session
    session["_refreshed_at"] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    saved = Session.objects.get().expire_date
    client.get(reverse("expertise:home"))
    assert Session.objects.get().expire_date > saved  # a minute later: pushed ahead again


def test_the_lockout_says_how_long_to_wait(client, settings):
    settings.AXES_COOLOFF_TIME = 15 / 60  # hours: 15 minutes
    user = UserFactory()
    for _ in range(6):
        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": "nope"}
        )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Je kunt het over 15 minuten opnieuw proberen" in page


def test_the_profile_links_the_api_description_not_the_swagger_page(client):
    """Swagger UI fails WCAG (no lang, contrast, nested controls): the application's own pages
    link the OpenAPI description instead (issue 10)."""
    user = UserFactory()
    verify_session(client, user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("api-schema")}"' in page
    assert f'href="{reverse("api-docs")}"' not in page
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"openapi" in schema.content[:200]
