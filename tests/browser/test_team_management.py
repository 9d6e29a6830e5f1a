"""The municipality admin invites a member in headless Chromium, and the member takes it from
the mail: the link (sent by a real Celery worker), a password, the second factor (a TOTP code
computed from the key the enrolment page shows), signed in on their team's page. Every page
passes axe-core and reflows at 320 px; screenshots at 1280 and 320 px in test-artifacts/."""

import re
from urllib.parse import urlparse

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.browser.helpers import (
    accept_invitation,
    invitation_link,
    look,
    sign_in_verified,
)
from tests.helpers import worker_caught_up
from wijkteam.models import AuditEvent, TeamMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-en-nieuw-wachtwoord-42"


def _look(page, name):
    look(page, f"teams-{name}")


def test_the_admin_invites_and_the_member_signs_in_with_a_second_factor(
    open_page, org, make_user, celery_worker, mailoutbox
):
    team = org["team"]
    admin = make_user(Role.MUNICIPALITY_ADMIN, first_name="Gea", last_name="Gemeente")
    make_user(Role.TEAM_LEAD, first_name="Lotte", last_name="Leider")
    page = open_page()
    sign_in_verified(page, admin)

    # --- From the navigation to the team, and its invitation form.
    page.get_by_role("link", name="Teams beheren").click()
    page.wait_for_url("**/gemeente/teams/")
    _look(page, "01-teams")
    page.get_by_role("link", name=team.name).click()
    page.wait_for_url(f"**/gemeente/teams/{team.pk}/")
    assert page.get_by_role("rowheader", name="Lotte Leider").is_visible()
    _look(page, "02-team")
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.wait_for_url("**/uitnodigen/")
    page.get_by_label("E-mailadres").fill("nina.nieuw@example.nl")
    page.get_by_label("Voornaam").fill("Nina")
    page.get_by_label("Achternaam").fill("Nieuw")
    _look(page, "03-invite")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("De uitnodiging aan nina.nieuw@example.nl is onderweg").wait_for()
    assert page.get_by_text("uitgenodigd, link geldig tot").is_visible()
    _look(page, "04-invited")

    # --- The mail, sent once by the worker; the member takes the link, a password and the
    # second factor.
    worker_caught_up()
    link = invitation_link(mailoutbox, "nina.nieuw@example.nl")
    member = open_page()
    accept_invitation(member, link, PASSWORD, look=_look)
    assert member.get_by_role("heading", level=1).inner_text() == "Mijn wijkteam"
    person = User.objects.get(email="nina.nieuw@example.nl")
    assert person.is_active and person.check_password(PASSWORD)
    assert TeamMembership.objects.get(user=person).team == team

    # --- The link works once.
    member.goto(urlparse(link).path)
    assert member.get_by_text("Deze link is al gebruikt").is_visible()
    _look(member, "07-used")

    # --- The admin sees them active, and every change in the audit log.
    page.reload()
    row = page.locator("tr", has_text="Nina Nieuw")
    assert "actief" in row.inner_text()
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "invite",
        "accept_invitation",
    }

    # --- Deactivated, she is signed out at once.
    row.get_by_role("link", name=re.compile("Deactiveren")).click()
    page.wait_for_url("**/deactiveren/")
    _look(page, "10-deactivate")
    page.get_by_role("button", name="Deactiveren").click()
    page.get_by_text("Nina Nieuw werkt niet meer in").wait_for()
    member.goto("/wijkteam/")
    member.wait_for_url("**/inloggen/**")
    person.refresh_from_db()
    assert not person.is_active


def test_the_pools_page_and_a_pool_setting(open_page, org, make_user):
    admin = make_user(Role.MUNICIPALITY_ADMIN)
    page = open_page()
    sign_in_verified(page, admin)
    page.goto("/gemeente/teams/pools/")
    _look(page, "08-pools")
    page.get_by_role("link", name=re.compile(f"Wijzigen.*{org['pool'].name}")).click()
    page.get_by_label("Urenplafond per expert per maand (uren)").fill("4,5")
    page.get_by_label("Getrieerd binnen (werkdagen)").fill("0")
    page.get_by_role("button", name="Instellingen opslaan").click()
    page.wait_for_load_state()
    assert page.locator(".utrecht-form-field-error-message").count() == 1
    _look(page, "09-pool-error")
    page.get_by_label("Getrieerd binnen (werkdagen)").fill("3")
    page.get_by_role("button", name="Instellingen opslaan").click()
    page.get_by_text("zijn opgeslagen").wait_for()
    assert page.get_by_text("4,5 uur").is_visible()
    org["pool"].refresh_from_db()
    assert (org["pool"].triage_target_days, org["pool"].monthly_cap_minutes) == (3, 270)
