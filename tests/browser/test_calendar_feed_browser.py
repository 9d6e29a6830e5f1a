"""The calendar link on the profile page, in Chromium: made, shown once in a field to copy,
read by a calendar program (here: a plain GET without the session), revoked; axe finds nothing
and the section reflows at 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Invitation, Session
from tests.browser.helpers import assert_accessible, assert_reflows_at_320, sign_in_verified
from tests.meetings.helpers import build_team_pool

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_expert_makes_reads_and_revokes_their_calendar_link(cast, open_page):
    team = build_team_pool(cast)
    expert = team.experts[0]
    starts = timezone.now().replace(microsecond=0) + timedelta(days=5)
    session = Session.objects.create(
        pool=team.pool, starts_at=starts, ends_at=starts + timedelta(hours=2), place="Stadhuis"
    )
    Invitation.objects.create(session=session, user=expert, role=Invitation.Role.EXPERT)
    page = open_page()
    sign_in_verified(page, expert)

    page.goto("/profiel/")
    section = page.locator("#agenda-link")
    assert "Je hebt geen agenda-link." in section.inner_text()
    section.get_by_role("button", name="Agenda-link maken").click()
    page.wait_for_load_state()

    field = page.get_by_label("Je agenda-link:")
    url = field.input_value()
    assert "/overleg/agenda/" in url and url.endswith(".ics")
    assert field.get_attribute("readonly") is not None
    assert_accessible(page)
    assert_reflows_at_320(page, "calendar-link-made")

    # A calendar program has no session: the link alone is enough.
    read = page.context.request.get(url, headers={"Cookie": ""})
    assert read.status == 200
    (event,) = Calendar.from_ical(read.body()).walk("VEVENT")
    assert str(event["UID"]) == f"{session.uid}@wijkexpert"

    page.goto("/profiel/")
    assert url not in page.content()  # shown once
    page.locator("#agenda-link").get_by_role("button", name="Link intrekken").click()
    page.wait_for_load_state()
    assert "Je agenda-link is ingetrokken" in page.content()
    assert_accessible(page)
    assert page.context.request.get(url).status == 404
