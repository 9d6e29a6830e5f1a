"""The URL matrix's writes (issue 13). Per URL pattern: a POST by everyone outside its scope is
a 404 (or 405: the URL takes no POST) and changes nothing, and so are a PUT, PATCH and DELETE on
the API's objects; a collection may refuse a create with 403 or 400 (that names no object).
Those who see the object but may not do this are refused some way (a form error, 403, a
redirect with the reason), never a 500, and nothing changes either.

And the public endpoints, each with a check of its own: they are left out of the matrix
(tests/security/specs.py PUBLIC_REASONS says why for each).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from consultation.models import Question
from tests.security.matrix import client_for, fingerprint, url_of, verdict
from tests.security.specs import NOT_FOUND_OR_NOT_ALLOWED, SPECS

# --- Per object URL, a POST by every outsider ---------------------------------------------------
POSTED = [name for name, spec in SPECS.items() if spec.outsiders()]
# Those who see the object but may not do this: refused any way that reveals nothing new to
# them (a form error, a 403, a redirect with the reason), never a 500, and nothing changes.
KNOWN_REFUSED = {302, 400, 403, 404, 405}
# The API's objects also take PUT, PATCH or DELETE (or say 405): outsiders get a 404 for those.
OTHER_METHODS = ("put", "patch", "delete")


def _writes(spec, name):
    """(role, method, allowed statuses) of every refused write to try on the URL."""
    for role in spec.outsiders():
        yield role, "post", spec.post_refused
        if spec.api and name.endswith("-detail"):
            for method in OTHER_METHODS:
                yield role, method, NOT_FOUND_OR_NOT_ALLOWED
    for role in sorted(spec.known - spec.ok):
        yield role, "post", KNOWN_REFUSED


@pytest.mark.django_db
@pytest.mark.parametrize("name", POSTED)
def test_refused_writes_are_not_found_and_change_nothing(world, name):
    spec = SPECS[name]
    url = url_of(spec, name, world)
    marked = {
        role.removeprefix("post:"): why
        for role, why in spec.xfail.items()
        if role.startswith("post:")
    }
    failures, wrong_as_marked = [], []
    for role, method, allowed in _writes(spec, name):
        before = fingerprint()
        send = getattr(client_for(world, role), method)
        status = (
            send(url, {}, content_type="application/json").status_code
            if method != "post"
            else send(url, {}).status_code
        )
        problem = None
        if status not in allowed:
            problem = (
                f"{method.upper()} {url} ({name}) as {role}: {status}, expected {set(allowed)}"
            )
        elif fingerprint() != before:
            problem = (
                f"{method.upper()} {url} ({name}) as {role}: {status}, but it changed something"
            )
        if problem and role in marked:
            wrong_as_marked.append(role)
        elif problem:
            failures.append(problem)
    verdict(failures, marked, wrong_as_marked)


@pytest.mark.django_db
def test_the_fingerprint_sees_a_write(world):
    """The check above is only as good as its fingerprint: a changed row changes it."""
    before = fingerprint()
    Question.objects.filter(pk=world.answered.pk).update(title="Anders")
    assert fingerprint() != before


# --- The public endpoints, each its own check ---------------------------------------------------
@pytest.mark.django_db
def test_public_endpoints_answer_signed_out(world):
    anonymous = Client()
    assert anonymous.get(reverse("health")).status_code in (200, 503)
    assert anonymous.get(reverse("accounts:login")).status_code == 200
    assert anonymous.get(reverse("accounts:password_reset")).status_code == 200
    assert anonymous.get(reverse("accounts:password_reset_done")).status_code == 200
    assert anonymous.get(reverse("accounts:password_reset_complete")).status_code == 200
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    # Signed out, signing out lands on the sign-in page; the factor pages need a sign-in.
    assert anonymous.post(reverse("accounts:logout")).status_code == 302
    for name in ("accounts:otp-verify", "accounts:otp-enrol"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), name


@pytest.mark.django_db
def test_the_factor_pages_are_for_the_signed_in_without_a_factor(world):
    unverified = client_for(world, "unverified")
    response = unverified.get(reverse("accounts:otp-enrol"))
    assert response.status_code in (200, 302)
    assert unverified.get(reverse("accounts:otp-verify")).status_code in (200, 302)


@pytest.mark.django_db
def test_a_reset_link_with_a_wrong_token_shows_no_form(world):
    url = reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}
    )
    response = Client().get(url)
    assert response.status_code == 200
    assert response.context["validlink"] is False


@pytest.mark.django_db
def test_the_calendar_feed_opens_by_its_token_only(world):
    good = reverse("meetings_calendar:feed", kwargs={"token": world.feed_secret})
    assert Client().get(good).status_code == 200
    wrong = reverse("meetings_calendar:feed", kwargs={"token": "x" * 43})
    assert Client().get(wrong).status_code == 404
    # A signed-in outsider with someone else's wrong token learns nothing either.
    assert client_for(world, "other_expert").get(wrong).status_code == 404


@pytest.mark.django_db
def test_the_team_invitation_opens_by_its_token_only(world):
    key, token = world.invitation_key, world.invitation_token
    client = Client()
    response = client.get(reverse("invitation:open", kwargs={"key": key, "token": token}))
    assert response.status_code == 302 and response["Location"] == reverse("invitation:welcome")
    assert client.get(reverse("invitation:welcome")).status_code == 200
    wrong = reverse("invitation:open", kwargs={"key": key, "token": "0" * len(token)})
    assert Client().get(wrong).status_code == 404
    # The right token under another invitation's key does not open it.
    other = urlsafe_base64_encode(force_bytes(world.team_invitation.pk + 1000))
    response = Client().get(reverse("invitation:open", kwargs={"key": other, "token": token}))
    assert response.status_code == 404
    # Without the invitation in the session the welcome page has nothing to show.
    assert Client().get(reverse("invitation:welcome")).status_code == 404
