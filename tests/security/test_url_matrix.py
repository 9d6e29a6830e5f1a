"""Proof in make test (issue 13): every URL pattern of the project is in the permission matrix.

The patterns come from the resolver itself (tests/security/urls.py), so a URL added without a
matrix entry fails `test_every_pattern_has_a_spec` with its name, and an entry whose pattern is
gone fails `test_every_spec_has_a_pattern`. For each pattern and role (tests/security/world.py)
a GET answers what tests/security/specs.py says: 404 outside one's scope, never a 403 for
someone who may not know the object exists, never a 500. An outsider's POST to an object URL is
a 404 (or 405) and changes nothing. The few public endpoints are listed with a reason, and each
has a check of its own below.

One world for the whole module (a shared transaction, rolled back at the end); each test runs
in its own savepoint, so a POST that wrongly wrote would be undone after its test.
"""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from municipality import links
from tests.accounts.factories import TOTPDeviceFactory
from tests.helpers import shared_transaction
from tests.security.specs import PUBLIC_REASONS, SPECS, Spec
from tests.security.urls import project_patterns
from tests.security.world import ROLES, build_world

PATTERNS = project_patterns()

# What an outsider's POST must leave as it was: the rows of every model a URL of the project
# writes (not the audit log, which may note the attempt, nor the one-time submission tokens).
WATCHED = [
    "consultation.Question",
    "consultation.QuestionExpert",
    "consultation.Message",
    "consultation.Attachment",
    "consultation.QuestionTransition",
    "consultation.CloseOut",
    "consultation.Notification",
    "meetings.MeetingSeries",
    "meetings.Session",
    "meetings.AgendaItem",
    "meetings.Invitation",
    "meetings.CalendarFeed",
    "hours.TimeEntry",
    "hours.InvoiceExport",
    "expertise.ExpertPool",
    "expertise.WeeklyAvailability",
    "expertise.Absence",
    "accounts.ApiToken",
    "wijkteam.TeamMembership",
    "wijkteam.Resident",
    "wijkteam.Case",
    "municipality.TeamInvitation",
    "triage.TriageClaim",
    "triage.TriageDecision",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
            # One verified second factor per person, made once (signing in per test is cheap).
            built.devices = {
                role: TOTPDeviceFactory(user=user)
                for role, user in built.users.items()
                if role != "unverified"
            }
        yield built


def _client_for(world, role: str, *, api: bool = False) -> Client:
    from rest_framework.test import APIClient

    client = APIClient() if api else Client()
    if role == "anonymous":
        return client
    user = world.users[role]
    client.force_login(user)
    if role != "unverified":
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = world.devices[role].persistent_id
        session.save()
    return client


def _url(spec: Spec, name: str, world) -> str:
    kwargs = spec.kwargs(world) if spec.kwargs else {}
    return reverse(name, kwargs=kwargs)


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for label in WATCHED:
        model = apps.get_model(label)
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _sign_in_target(response, role: str) -> bool:
    location = response.get("Location", "")
    if role == "anonymous":
        return location.startswith(settings.LOGIN_URL)
    return location.startswith(
        (reverse("accounts:otp-verify"), reverse("accounts:otp-enrol"))
    )


# --- Every pattern has a spec, and every spec a pattern -----------------------------------------
def test_every_pattern_has_a_spec():
    missing = sorted(set(PATTERNS) - set(SPECS) - set(PUBLIC_REASONS))
    assert not missing, (
        "URL patterns without an entry in the permission matrix (tests/security/specs.py "
        "SPECS, or PUBLIC_REASONS with a reason): "
        + ", ".join(f"{name} ({PATTERNS[name].route})" for name in missing)
    )


def test_every_spec_has_a_pattern():
    stale = sorted((set(SPECS) | set(PUBLIC_REASONS)) - set(PATTERNS))
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


def test_a_pattern_is_either_public_or_in_the_matrix():
    assert not set(SPECS) & set(PUBLIC_REASONS)


def test_the_enumeration_reaches_the_api_router_and_every_namespace():
    """The walk goes into includes: the router's routes and the namespaced apps are found."""
    assert {"api-question-detail", "meetings_calendar:feed", "wijkteam:case"} <= set(PATTERNS)
    assert not [name for name in PATTERNS if name.startswith("admin:")]


# --- The matrix: a GET per pattern and role -----------------------------------------------------
def _get_cases():
    for name, spec in SPECS.items():
        for role in ROLES:
            marks = []
            if role in spec.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=spec.xfail[role]))
            yield pytest.param(name, role, id=f"{name}-{role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(_get_cases()))
def test_get(world, name, role):
    spec = SPECS[name]
    url = _url(spec, name, world)
    response = _client_for(world, role, api=spec.api).get(url)
    want = spec.expected(role)
    got = response.status_code
    allowed = want if isinstance(want, frozenset | set) else {want}
    assert got in allowed, f"GET {url} ({name}) as {role}: {got}, expected {want}"
    if got == 302 and role in ("anonymous", "unverified"):
        assert _sign_in_target(response, role), (name, role, response["Location"])


# --- An outsider's POST to an object URL --------------------------------------------------------
def _post_cases():
    for name, spec in SPECS.items():
        if not spec.checks_post:
            continue
        for role in spec.outsiders():
            marks = []
            if f"post:{role}" in spec.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=spec.xfail[f"post:{role}"]))
            yield pytest.param(name, role, id=f"{name}-{role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(_post_cases()))
def test_outsiders_post_changes_nothing(world, name, role):
    spec = SPECS[name]
    url = _url(spec, name, world)
    before = _fingerprint()
    response = _client_for(world, role, api=spec.api).post(url, {})
    assert response.status_code in (404, 405), (
        f"POST {url} ({name}) as {role}: {response.status_code}, expected 404 (or 405)"
    )
    assert _fingerprint() == before, f"POST {url} ({name}) as {role} changed something"


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
        assert response["Location"].startswith(settings.LOGIN_URL), name


@pytest.mark.django_db
def test_the_factor_pages_are_for_the_signed_in_without_a_factor(world):
    unverified = _client_for(world, "unverified")
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
    assert _client_for(world, "other_expert").get(wrong).status_code == 404


@pytest.mark.django_db
def test_the_team_invitation_opens_by_its_token_only(world):
    key, token = world.invitation_key, world.invitation_token
    client = Client()
    response = client.get(reverse("invitation:open", kwargs={"key": key, "token": token}))
    assert response.status_code == 302 and response["Location"] == reverse("invitation:welcome")
    assert client.get(reverse("invitation:welcome")).status_code == 200
    wrong = reverse("invitation:open", kwargs={"key": key, "token": "0" * len(token)})
    assert Client().get(wrong).status_code == 404
    other = links.invitation_key(world.team_invitation).replace("M", "N")
    assert Client().get(reverse("invitation:open", kwargs={"key": other, "token": token})).status_code == 404
    # Without the invitation in the session the welcome page has nothing to show.
    assert Client().get(reverse("invitation:welcome")).status_code == 404
