"""Issue 13's sign-in hardening in Chromium: a token's expiry on the profile page, the page a
throttled password-reset request gets, and a sign-in that passes the second factor on a new
session key. axe finds nothing; the pages reflow at 320 px."""

import pytest

from accounts.roles import Role
from tests.accounts.factories import TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in,
    sign_in_verified,
)
from tests.helpers import current_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_token_shows_when_it_expires(page, make_user):
    sign_in_verified(page, make_user(Role.GENERALIST))
    page.goto("/profiel/")
    assert "Een sleutel werkt 90 dagen" in page.content()
    page.get_by_label("Naam van de nieuwe sleutel").fill("Zaaksysteem")
    page.get_by_role("button", name="Sleutel maken").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name="Je actieve sleutels")
    assert table.get_by_role("columnheader", name="Verloopt").is_visible()
    assert_accessible(page)
    screenshot(page, "profile-token-expiry")
    assert_reflows_at_320(page, "profile-token-expiry")


def test_a_throttled_reset_request_says_so(page, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1
    for address in ("een@wijkexpert.test", "twee@wijkexpert.test"):
        page.goto("/wachtwoord-vergeten/")
        page.get_by_label("E-mailadres").fill(address)
        page.get_by_role("button", name="Link versturen").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Te veel verzoeken"
    assert "Probeer het over 60 minuten opnieuw" in page.content()
    assert_accessible(page)
    screenshot(page, "password-reset-throttled")
    assert_reflows_at_320(page, "password-reset-throttled")


def test_the_second_factor_gives_the_browser_a_new_session_cookie(page, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    sign_in(page, user.email)
    page.wait_for_url("**/tweestapsverificatie/**")
    before = _session_cookie(page)
    page.get_by_label("Code uit je authenticator-app").fill(current_token(device))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url("**/expert/")
    assert _session_cookie(page) != before
    assert page.get_by_role("heading", level=1).inner_text() == "Inbox"


def _session_cookie(page) -> str:
    return {c["name"]: c["value"] for c in page.context.cookies()}["sessionid"]
