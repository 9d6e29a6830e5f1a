"""Headless Chromium (Debian's, CHROMIUM_PATH) with axe-core preloaded; the live server of
pytest-django. One browser per test process, so one per xdist worker; the consultation cast is
the shared `cast` fixture of tests/conftest.py."""

import os
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


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
