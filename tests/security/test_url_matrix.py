"""Proof in make test (issue 13): every URL pattern of the project is in the permission matrix.

The patterns come from the resolver itself (tests/security/urls.py), so a URL added without a
matrix entry fails `test_every_pattern_has_a_spec` with its name, and an entry whose pattern is
gone fails `test_every_spec_has_a_pattern`. For each pattern, every role (tests/security/world.py)
GETs it and gets what tests/security/specs.py says: 404 outside one's scope, never a 403 for
someone who may not know the object exists, never a 500. One test per pattern; a failure names
the pattern and every role that answered wrongly. Outsiders' POSTs and the public endpoints:
test_url_matrix_posts.py.

One world per module (a shared transaction, rolled back at the end); each test runs in its own
savepoint, so whatever a request wrote is undone after its test.
"""

from __future__ import annotations

import pytest

from tests.security.matrix import client_for, get_problem, url_of, verdict
from tests.security.specs import PUBLIC_REASONS, SPECS
from tests.security.urls import project_patterns
from tests.security.world import ROLES

PATTERNS = project_patterns()


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
