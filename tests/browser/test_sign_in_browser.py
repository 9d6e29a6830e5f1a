"""Headless Chromium: every role signs in with the second factor; the pages pass axe-core."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from accounts.roles import Role
from tests.accounts.factories import TOTPDeviceFactory
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.helpers import current_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_HOMES = {
    Role.GENERALIST: ("/wijkteam/", "Mijn wijkteam"),
    Role.TEAM_LEAD: ("/wijkteam/", "Mijn wijkteam"),
    Role.EXPERT: ("/expert/", "Inbox"),
    Role.TRIAGE: ("/triage/", "Triagewachtrij"),
    Role.MUNICIPALITY_ADMIN: ("/gemeente/", "Gebruik en rapportage"),
}


@pytest.mark.parametrize("role", list(ROLE_HOMES))
def test_each_role_signs_in_with_second_factor_and_sees_home(page, make_user, role):
    user = make_user(role)
    device = TOTPDeviceFactory(user=user)
    sign_in(page, user.email)
    page.wait_for_url("**/tweestapsverificatie/**")
    assert_accessible(page)
    page.get_by_label("Code uit je authenticator-app").fill(current_token(device))
    page.get_by_role("button", name="Controleren").click()
    path, heading = ROLE_HOMES[role]
    page.wait_for_url(f"**{path}")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.get_by_role("navigation", name="Hoofdnavigatie").is_visible()
    assert_accessible(page)
    screenshot(page, f"home-{role}")


def test_sign_in_pages_pass_axe(page):
    page.goto("/inloggen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"
    assert_accessible(page)
    screenshot(page, "sign-in")
    # With errors shown, the form is still accessible.
    page.get_by_role("button", name="Inloggen").click()
    assert page.locator(".utrecht-form-field-error-message").count() >= 1
    assert_accessible(page)
    page.goto("/wachtwoord-vergeten/")
    assert_accessible(page)


def test_first_sign_in_enrols_with_a_qr_code(page, make_user):
    user = make_user(Role.EXPERT)
    sign_in(page, user.email)
    page.wait_for_url("**/tweestapsverificatie/instellen/**")
    assert page.locator("svg.wx-qr").is_visible()
    assert_accessible(page)
    screenshot(page, "enrol")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit je authenticator-app").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Bevestigen en verder").click()
    page.wait_for_url("**/expert/")
    assert page.get_by_role("heading", level=1).inner_text() == "Inbox"


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/wachtwoord-vergeten/")  # no autofocus on this page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de hoofdinhoud")
    assert skip.evaluate("el => el === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
