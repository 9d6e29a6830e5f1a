"""The team lead's work in headless Chromium: the team overview (filtered by generalist), the
case page, handing the case over, a close refused while a question is open, and correcting the
resident's details. Each page passes axe-core and reflows at 320 px; screenshots at 1280 and
320 px are left in test-artifacts/."""

import pytest

from accounts.roles import Role
from tests.browser.helpers import (
    look,
    sign_in_verified,
)
from wijkteam.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, name):
    look(page, f"lead-{name}")


def test_team_lead_journey(open_page, cast, make_user):
    colleague = make_user(Role.GENERALIST, first_name="Joris", last_name="Collega")
    cast.ask(title="Huurachterstand en dreigende ontruiming bij alleenstaande moeder")
    cast.ask(title="Nog een concept", submit=False)
    page = open_page()
    sign_in_verified(page, cast.team_lead)

    # --- The overview, from the navigation; filtered by the case's generalist.
    page.get_by_role("link", name="Teamoverzicht").click()
    page.wait_for_url("**/wijkteam/teamoverzicht/")
    assert page.get_by_text("Huurachterstand en dreigende ontruiming").is_visible()
    page.get_by_label("Casusregisseur").select_option(label=cast.generalist.get_full_name())
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**/teamoverzicht/?*")
    assert page.locator("tbody tr").count() == 2
    _look(page, "overview")

    # --- The case: hand it over to the colleague.
    page.get_by_role("link", name=cast.case.pseudonym).first.click()
    page.wait_for_url(f"**/casussen/{cast.case.pseudonym}/")
    _look(page, "case")
    page.get_by_label("Overdragen aan").select_option(label="Joris Collega")
    page.get_by_role("button", name="Casus overdragen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Joris Collega is nu casusregisseur").is_visible()
    cast.case.refresh_from_db()
    assert cast.case.owner == colleague

    # --- Closing is refused while questions are open, and says which.
    page.get_by_role("button", name="Casus afsluiten").click()
    page.wait_for_load_state()
    refusal = page.get_by_text("De casus heeft nog open vragen")
    assert refusal.is_visible() and "Nog een concept" in refusal.inner_text()
    _look(page, "close-refused")

    # --- Correcting the resident's details.
    page.get_by_role("link", name="Gegevens aanpassen").click()
    page.get_by_label("Postcode").fill("3812 CD")
    _look(page, "resident-edit")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/casussen/{cast.case.pseudonym}/")
    assert page.get_by_text("3812 CD").is_visible()
    assert AuditEvent.objects.filter(actor=cast.team_lead, detail="changed: postcode").exists()
