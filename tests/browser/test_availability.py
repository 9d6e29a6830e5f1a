"""The expert's availability on their profile, in the browser (issue 11): ticking dagdelen,
adding and removing an absence, an error shown inline; accessible, and without sideways
scrolling at 320 px. Screenshots at 1280 and 320 px in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from expertise.models import Absence, WeeklyAvailability
from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in_verified,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _week(user):
    return set(
        WeeklyAvailability.objects.filter(expert__user=user).values_list("weekday", "dagdeel")
    )


def test_the_expert_keeps_their_availability_on_the_profile(cast, page):
    expert = cast.expert
    sign_in_verified(page, expert)
    page.get_by_role("link", name="Mijn profiel").click()
    page.wait_for_load_state()
    section = page.locator("#beschikbaarheid")
    assert "Beschikbaarheid" in section.get_by_role("heading", level=2).inner_text()

    # Tick Tuesday afternoon and Thursday morning, by their one-word Dutch names.
    section.get_by_label("dinsdagmiddag").check()
    section.get_by_label("donderdagochtend").check()
    section.get_by_role("button", name="Beschikbaarheid opslaan").click()
    page.wait_for_load_state()
    assert "Je wekelijkse beschikbaarheid is opgeslagen." in page.content()
    assert _week(expert) == {(1, "afternoon"), (3, "morning")}
    assert page.get_by_label("dinsdagmiddag").is_checked()
    assert not page.get_by_label("dinsdagochtend").is_checked()

    # An absence whose last day is before its first: told inline, nothing stored.
    today = timezone.localdate()
    form = page.locator("form[action$='/afwezigheid/']")
    form.get_by_label("Eerste dag afwezig").fill((today + timedelta(days=9)).isoformat())
    form.get_by_label("Laatste dag afwezig").fill((today + timedelta(days=5)).isoformat())
    form.get_by_label("vakantie").check()
    form.get_by_role("button", name="Afwezigheid toevoegen").click()
    page.wait_for_load_state()
    error = page.locator("#id_ends_on").get_attribute("aria-describedby") or ""
    assert "ends_on-error" in error
    assert "De laatste dag kan niet vóór de eerste dag liggen." in page.content()
    assert not Absence.objects.exists()
    assert_accessible(page)  # the page with the error, too

    # Fixed: a holiday from in nine days, for five days.
    form = page.locator("form[action$='/afwezigheid/']")
    form.get_by_label("Laatste dag afwezig").fill((today + timedelta(days=13)).isoformat())
    form.get_by_label("Notitie (niet verplicht)").fill("Wintersport met de kinderen")
    form.get_by_role("button", name="Afwezigheid toevoegen").click()
    page.wait_for_load_state()
    assert "Je afwezigheid is toegevoegd." in page.content()
    absence = Absence.objects.get(expert__user=expert)
    assert (absence.starts_on, absence.ends_on) == (
        today + timedelta(days=9),
        today + timedelta(days=13),
    )
    listed = page.locator(".wx-absences").inner_text()
    assert "vakantie" in listed and "Wintersport" in listed

    assert_accessible(page)
    section.scroll_into_view_if_needed()
    screenshot(page, "profile-availability-1280")
    assert_reflows_at_320(page, "profile-availability")

    # The grid at phone width: every box still on screen and its label beside it.
    page.set_viewport_size({"width": 320, "height": 800})
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.wx-week input[type=checkbox]')]
            .map(b => b.getBoundingClientRect().right)"""
    )
    assert len(boxes) == 21 and max(boxes) <= 320
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Removed again.
    page.get_by_role("button", name="Verwijderen").click()
    page.wait_for_load_state()
    assert "De afwezigheid is verwijderd." in page.content()
    assert not Absence.objects.exists()
    assert "Je hebt geen afwezigheid gepland." in page.content()
