"""The team lead exercises the resident's rights in headless Chromium: from the case page they
download the PDF, then erase the resident's details (the confirmation page, a missing reason
refused, then erased). Each page passes axe-core and reflows at 320 px; screenshots at 1280
and 320 px are left in test-artifacts/."""

import pytest

from tests.browser.helpers import (
    look,
    sign_in_verified,
)
from tests.consultation.cast import CANARY_LAST
from wijkteam.models import ResidentErasure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, name):
    look(page, f"rights-{name}")


def test_the_team_lead_downloads_and_erases(open_page, cast):
    page = open_page()
    sign_in_verified(page, cast.team_lead)
    page.goto(f"/wijkteam/casussen/{cast.case.pseudonym}/")
    assert page.get_by_role("heading", name="Rechten van de inwoner").is_visible()
    _look(page, "case")

    with page.expect_download() as download:
        page.get_by_role("link", name="Alles downloaden wat is vastgelegd (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name="Gegevens van de inwoner wissen").click()
    page.wait_for_url(f"**/casussen/{cast.case.pseudonym}/wissen/")
    _look(page, "erase")

    page.get_by_label("Ik begrijp dat naam, postcode en geboortedatum").check()
    page.get_by_role("button", name="Gegevens wissen").click()
    page.wait_for_load_state()
    assert page.get_by_text(
        "Geef aan waarom de gegevens van de inwoner worden gewist."
    ).first.is_visible()
    _look(page, "erase-refused")

    page.get_by_label("Reden").fill("Verzoek van de inwoner per brief")
    page.get_by_label("Ik begrijp dat naam, postcode en geboortedatum").check()
    page.get_by_role("button", name="Gegevens wissen").click()
    page.wait_for_url(f"**/casussen/{cast.case.pseudonym}/")
    assert page.get_by_text("De gegevens van de inwoner zijn gewist.").first.is_visible()
    assert CANARY_LAST not in page.content()
    _look(page, "case-erased")
    assert ResidentErasure.objects.filter(erased_by=cast.team_lead).count() == 1
