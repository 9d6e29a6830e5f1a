"""What the browser tests do on a page: check it with axe-core, keep a screenshot, sign in."""

import re
from pathlib import Path

from tests.accounts.factories import PASSWORD, TOTPDeviceFactory
from tests.helpers import current_token

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = BASE_DIR / "test-artifacts"


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


def assert_reflows_at_320(page, name: str) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide the page does not scroll sideways. Keeps a phone-width
    screenshot too, and restores the viewport it found."""
    before = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, f"{name}-320")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    && ![...e.children].some(c => c.getBoundingClientRect().right
                        > window.innerWidth + 0.5))
                .slice(0, 5)
                .map(e => e.tagName + '.' + e.className)"""
        )
        assert overflow <= 0, f"{page.url} scrolls sideways at 320 px by {overflow} px: {wide}"
    finally:
        page.set_viewport_size(before)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def look(page, name: str) -> None:
    """A page checked as every journey checks it: axe-core passes, a screenshot at 1280 px, and
    no sideways scroll at 320 px (with its screenshot too)."""
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"{name}-1280")
    assert_reflows_at_320(page, name)


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


def accept_invitation(page, link: str, password: str, look=None) -> None:
    """The invited person takes the link from their mail: chooses a password, sets up the
    second factor with a TOTP code computed from the key the enrolment page shows, and lands
    signed in. `look(page, name)` checks and photographs each step when given."""
    from base64 import b32decode
    from urllib.parse import urlparse

    from django_otp.oath import totp

    page.goto(urlparse(link).path)
    page.wait_for_url("**/uitnodiging/welkom/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom bij Wijkexpert"
    if look:
        look(page, "05-welcome")
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.get_by_role("button", name="Wachtwoord opslaan en verder").click()
    page.wait_for_url("**/tweestapsverificatie/instellen/**")
    if look:
        look(page, "06-enrol")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit je authenticator-app").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Bevestigen en verder").click()
    page.wait_for_url("**/wijkteam/")


def invitation_link(mailoutbox, address: str) -> str:
    """The one-time link of the one invitation mail sent to `address`."""
    (mail,) = [m for m in mailoutbox if m.to == [address]]
    found = re.search(r"https?://\S+/uitnodiging/\S+/", mail.body)
    assert found, mail.body
    return found.group(0)
