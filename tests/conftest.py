"""Shared fixtures: people in every role, a real Celery worker, headless Chromium with axe-core.

Everything runs against real PostgreSQL and Redis (DATABASE_URL / REDIS_URL, set by
config.launcher); there is no SQLite and no fake Redis anywhere.
"""

import os
import re
from pathlib import Path

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from accounts.roles import Role
from expertise.models import ExpertPool
from tests.accounts.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.wijkteam.factories import (
    DistrictTeamFactory,
    MunicipalityFactory,
    RegionFactory,
    TeamMembershipFactory,
)
from wijkteam.models import TeamMembership

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# next to it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = BASE_DIR / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


# --- People in every role ------------------------------------------------------------------------
def seed_reference_data():
    """The life domains and target groups of the data migration. Transactional tests flush the
    database afterwards, which also removes migration data; this puts it back (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("expertise.migrations.0002_seed_life_domains_and_target_groups").seed(apps, None)


@pytest.fixture
def org(db):
    """A small region: one municipality with a team, and a pool serving the team."""
    seed_reference_data()
    region = RegionFactory()
    municipality = MunicipalityFactory(region=region)
    team = DistrictTeamFactory(municipality=municipality)
    pool = ExpertPoolFactory(
        region=region, collaboration_model=ExpertPool.CollaborationModel.TRIAGE
    )
    pool.teams.add(team)
    return {"region": region, "municipality": municipality, "team": team, "pool": pool}


@pytest.fixture
def make_user(org):
    """make_user(Role.X) -> a user holding that role in `org`."""

    def _make(role: Role, **fields):
        user = UserFactory(**fields)
        if role == Role.GENERALIST:
            TeamMembershipFactory(team=org["team"], user=user)
        elif role == Role.TEAM_LEAD:
            TeamMembershipFactory(team=org["team"], user=user, role=TeamMembership.Role.TEAM_LEAD)
        elif role == Role.EXPERT:
            ExpertProfileFactory(user=user, pools=[org["pool"]])
        elif role == Role.TRIAGE:
            org["pool"].triage_workers.add(user)
        elif role == Role.MUNICIPALITY_ADMIN:
            org["municipality"].admins.add(user)
        return user

    return _make


def verify_session(client, user):
    """Sign in as `user` with a verified second factor (what the TOTP step leaves behind)."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def verified_client(client):
    def _login(user):
        verify_session(client, user)
        return client

    return _login


def current_token(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- Celery --------------------------------------------------------------------------------------
@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) consuming this test run's queue on the real Redis."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


# --- Browser -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (it installs it) or set "
            "CHROMIUM_PATH."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _new_page(browser, live_server, contexts):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    # An init script is injected by the browser itself, so our strict CSP does not block it
    # and stays fully enforced for the page's own resources.
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: (
            page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    contexts.append((context, page))
    return page


@pytest.fixture
def open_page(browser, live_server):
    """open_page() -> a fresh browser context (one per person), with axe-core preloaded; any
    CSP violation fails the test."""
    contexts = []
    yield lambda: _new_page(browser, live_server, contexts)
    violations = [v for _, page in contexts for v in page.csp_violations]
    for context, _ in contexts:
        context.close()
    assert not violations, f"CSP violations: {violations}"


@pytest.fixture
def page(open_page):
    """A fresh browser context per test, with axe-core preloaded and CSP violations caught."""
    return open_page()


def assert_accessible(page):
    """Fail on any WCAG 2.0/2.1 A or AA violation axe-core finds on the current page."""
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    assert result == [], f"axe found WCAG violations on {page.url}: {result}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_verified(page, user):
    """Sign in through the real pages: password, then a TOTP code from the user's device."""
    device = TOTPDeviceFactory(user=user)
    sign_in(page, user.email)
    page.wait_for_url("**/tweestapsverificatie/**")
    page.get_by_label("Code uit je authenticator-app").fill(current_token(device))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()


def sign_in(page, email: str, password: str = PASSWORD):
    page.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
