"""A paged list as a person uses it: the next and previous links work, the page passes axe, and
the pagination wraps at phone width (no sideways scrolling at 320 px)."""

import re

from playwright.sync_api import expect

from config.pagination import PER_PAGE
from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in_verified,
)
from tests.consultation.factories import NotificationFactory, QuestionFactory


def test_paging_through_the_notifications(page, cast):
    question = QuestionFactory(case=cast.case, pool=cast.pool)
    for _ in range(PER_PAGE + 3):
        NotificationFactory(
            recipient=cast.generalist, question=question, channel="in_app", state="sent"
        )
    sign_in_verified(page, cast.generalist)
    page.goto("/vragen/meldingen/")
    pages = page.get_by_role("navigation", name="Pagina's van meldingen")
    expect(pages).to_contain_text("Pagina 1")
    expect(page.locator(".wx-notifications li")).to_have_count(PER_PAGE)
    assert_accessible(page)
    screenshot(page, "notifications-page-1")
    assert_reflows_at_320(page, "notifications-page-1")

    pages.get_by_role("link", name="Volgende").click()
    expect(page).to_have_url(re.compile(r"pagina=2"))
    expect(page.locator(".wx-notifications li")).to_have_count(3)
    expect(pages).to_contain_text("Pagina 2")
    pages.get_by_role("link", name="Vorige").click()
    expect(page.locator(".wx-notifications li")).to_have_count(PER_PAGE)
