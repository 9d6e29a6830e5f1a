"""Shared fixtures: people in every role, the consultation cast (for the consultation, API and
browser tests alike), API clients and a real Celery worker. Browser fixtures: tests/browser.

Everything runs against real PostgreSQL and Redis (DATABASE_URL / REDIS_URL, set by
config.launcher); there is no SQLite and no fake Redis anywhere. Under pytest-xdist every worker
has its own test database (test_wijkexpert_<pid>_gw<n>) and its own Celery queue.

Helpers to import live in tests/helpers.py (conftest files are not meant to be imported).
"""

import os
import uuid
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tokens import api_token_create
from tests.consultation.cast import build_cast
from tests.helpers import (
    build_org,
    current_token,
    seed_reference_data,
    shared_transaction,
    user_maker,
    verify_session,
)
from wijkteam.services import case_open, resident_register

# Importable from here too, for branches that still do `from tests.conftest import ...`.
__all__ = ["current_token", "seed_reference_data", "verify_session"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# next to it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- Transactional tests and the migration data ---------------------------------------------------
def _flushes_the_database(item) -> bool:
    """Whether pytest-django runs `item` as a TransactionTestCase (which flushes at the end)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _check_the_current_celery_app(item) -> None:
    """A test that makes a Celery() of its own current (the default of Celery()) leaves it
    current: shared tasks and current_app then publish to that app's broker in every later test
    of this process. Say which test did it, instead of a failure somewhere else later."""
    from celery._state import get_current_app

    from config.celery import app

    if get_current_app() is not app:
        app.set_current()
        raise AssertionError(
            f"{item.nodeid} left another Celery app current: create it with set_as_current=False"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test flushes the database when it ends, migration data included. Serially
    pytest-django runs those tests after all others that use the database, but under xdist a
    worker may go on with another file's tests: put the reference data back for them."""
    result = yield
    _check_the_current_celery_app(item)
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            seed_reference_data()
    return result


# --- Throttles -----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_throttle_counters(monkeypatch):
    """The throttles' counters (accounts.throttle) live in Redis, outside a test's transaction,
    and every test client comes from 127.0.0.1: each test counts from zero under a prefix of
    its own (the keys expire with their window). Set on the settings themselves, not through
    pytest-django's `settings` (an override in every test would hide the real settings module
    from tests/test_harness.py)."""
    from django.conf import settings

    monkeypatch.setattr(settings, "THROTTLE_KEY_PREFIX", f"throttle-{uuid.uuid4().hex}")


# --- People in every role ------------------------------------------------------------------------
@pytest.fixture
def org(db):
    """A small region: one municipality with a team, and a pool serving the team."""
    return build_org()


@pytest.fixture
def make_user(org):
    """make_user(Role.X) -> a user holding that role in `org`."""
    return user_maker(org)


@pytest.fixture
def verified_client(client):
    def _login(user):
        verify_session(client, user)
        return client

    return _login


# --- The consultation cast and API clients -------------------------------------------------------
@pytest.fixture
def cast(org, make_user):
    """The consultation cast (tests/consultation/cast.py): the consultation, API and browser
    tests all work with the same people."""
    return build_cast(org, make_user)


@pytest.fixture(scope="module")
def module_cast(django_db_setup, django_db_blocker):
    """The same cast, built once for a module whose tests only read it (what a test writes is
    undone after it); rolled back when the module is done. Not for transactional tests."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            org = build_org()
            cast = build_cast(org, user_maker(org))
        yield cast


@pytest.fixture
def api():
    """api(user) -> an APIClient with a verified session (what the TOTP step leaves behind)."""

    def _client(user):
        client = APIClient()
        verify_session(client, user)
        return client

    return _client


@pytest.fixture
def token_client():
    """token_client(user) -> an APIClient that authenticates with a fresh personal API token."""

    def _client(user):
        _token, secret = api_token_create(user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return _client


# --- Celery --------------------------------------------------------------------------------------
@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) consuming this process's queue on the real Redis: the
    queue is named per process (config/settings/test.py), so per xdist worker too."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    # loglevel: start_worker sets the root logger's level to it, for the rest of the process;
    # its default (ERROR) would hide warnings from the caplog of every later test.
    with start_worker(
        app, perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
    ) as worker:
        yield worker


# --- Test databases ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, dropped at the end even when a live-server or Celery
    thread still holds a connection to it (else every run leaves a database behind)."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


# --- A generalist's own resident and case (through the real wijkteam services) -----------------
@pytest.fixture
def team(org):
    return org["team"]


@pytest.fixture
def generalist(make_user):
    return make_user(Role.GENERALIST)


@pytest.fixture
def resident(generalist, team):
    return resident_register(
        actor=generalist,
        team=team,
        first_name="Zoë",
        last_name="van der Berg",
        date_of_birth=date(2010, 3, 7),
        postcode="3811ab",
        household="single_parent",
    )


@pytest.fixture
def case(generalist, resident):
    return case_open(actor=generalist, resident=resident)


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests' screenshots are (desktop and phone width of each role's
    pages, tests/browser): they are there to be looked at."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "test-artifacts"
    shots = sorted(folder.glob("*.png")) if folder.is_dir() else []
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} screenshots in {folder}/")
