"""Proof in make test (issue 13): every URL pattern of the project is in the permission matrix.

The patterns come from the resolver itself (tests/security/urls.py), so a URL added without a
matrix entry fails `test_every_pattern_has_a_spec` with its name, and an entry whose pattern is
gone fails `test_every_spec_has_a_pattern`. For each pattern, every role (of
tests/security/matrix_world.py) GETs it and gets what tests/security/specs.py says: 404 outside
one's scope, never a 403 for someone who may not know the object exists, never a 500. One test
per pattern; a failure names the pattern and every role that answered wrongly. Outsiders' POSTs
and the public endpoints: test_url_matrix_posts.py.

One world per module (a shared transaction, rolled back at the end); each test runs in its own
savepoint, so whatever a request wrote is undone after its test.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.matrix import client_for, get_problem, url_of, verdict
from tests.security.matrix_world import ROLES
from tests.security.specs import PUBLIC_REASONS, SPECS
from tests.security.urls import project_patterns, uncovered

PATTERNS = project_patterns()


# --- Every pattern has a spec, and every spec a pattern -----------------------------------------
def test_every_pattern_has_a_spec():
    message = uncovered(PATTERNS, {*SPECS, *PUBLIC_REASONS})
    assert not message, message


def test_a_url_added_without_a_spec_is_named():
    """What a newcomer meets: a pattern added to the URLs without a matrix entry fails the
    test above with its name and route."""
    patterns = project_patterns("tests.security.extra_urls")
    message = uncovered(patterns, {*SPECS, *PUBLIC_REASONS})
    assert message.endswith("nieuw:detail (nieuw/<int:pk>/)"), message


def test_every_spec_has_a_pattern():
    stale = sorted((set(SPECS) | set(PUBLIC_REASONS)) - set(PATTERNS))
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


def test_a_pattern_is_either_public_or_in_the_matrix():
    assert not set(SPECS) & set(PUBLIC_REASONS)


def test_the_enumeration_reaches_the_api_router_and_every_namespace():
    """The walk goes into includes: the router's routes and the namespaced apps are found."""
    assert {"api-question-detail", "meetings_calendar:feed", "wijkteam:case"} <= set(PATTERNS)
    assert not [name for name in PATTERNS if name.startswith("admin:")]


# --- The matrix: per pattern, a GET by every role -----------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("name", list(SPECS))
def test_get_by_every_role(world, name):
    spec = SPECS[name]
    url = url_of(spec, name, world)
    marked = {role: why for role, why in spec.xfail.items() if not role.startswith("post:")}
    failures, wrong_as_marked = [], []
    for role in ROLES:
        problem = get_problem(spec, name, url, role, client_for(world, role).get(url))
        if problem and role in marked:
            wrong_as_marked.append(role)
        elif problem:
            failures.append(problem)
    verdict(failures, marked, wrong_as_marked)


# --- A missing object: 404 for those who would see it too --------------------------------------
def _missing(kwargs: dict) -> dict:
    """The URL's object ids pointing at nothing (a pseudonym of the right shape, a big id),
    a download format that does not exist."""
    gone: dict[str, object] = {}
    for key, value in kwargs.items():
        if key == "pseudonym":
            gone[key] = "C-ZZZZZZ"
        elif key == "fmt":
            gone[key] = "doc"
        elif isinstance(value, int):
            gone[key] = 10**9 + value
        else:
            raise AssertionError(f"no missing value for the URL argument {key}={value!r}")
    return gone


OBJECT_URLS = [name for name, spec in SPECS.items() if spec.kwargs and spec.ok]


@pytest.mark.django_db
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_a_missing_object_is_a_404_for_its_insiders_too(world, name):
    """The same answer whether the object is there or not: what an insider gets for an id
    that points at nothing is what an outsider gets for a real one (never a 500). Every
    argument of these URLs names an object or a format (a test_url_matrix entry whose URL
    has another kind of argument gets a case in _missing)."""
    spec = SPECS[name]
    kwargs = spec.kwargs(world)
    gone = _missing(kwargs)
    url = reverse(name, kwargs=gone)
    want = 405 if spec.post_only else 404
    wrong = [
        f"GET {url} ({name}) as {role}: {status}, expected {want}"
        for role in ROLES
        if role in spec.ok and (status := client_for(world, role).get(url).status_code) != want
    ]
    assert not wrong, "\n".join(wrong)
