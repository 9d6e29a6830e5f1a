"""WCAG 2.1 1.4.10 Reflow, on every page a person in each role can reach (issue 10): at 320 CSS
pixels wide no page scrolls sideways, nor at 640 (a 1280 px window zoomed to 200 %), and axe-core
finds nothing at phone width either.

The pages are found, not listed: signed in as each role, the test follows every link of the
application's own pages (same origin; not the API, the admin, sign-out or files) from the home
page, breadth first, and checks each page it reaches at 320 px. A new page is checked as soon as
something links to it.
"""

from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.roles import Role
from consultation import services
from meetings.models import Session
from meetings.services.agenda import invite_experts
from meetings.services.planning import session_plan
from meetings.services.recurring import SeriesInput, series_save
from tests.browser.helpers import assert_accessible, screenshot, sign_in_verified
from tests.helpers import user_maker
from tests.meetings.helpers import ask_team, build_team_pool, moment

pytestmark = pytest.mark.django_db(transaction=True)

SKIPPED = ("/api/", "/admin/", "/uitloggen/", "/static/", "/media/", "/i18n/", "/health/")
# Downloads (exports, invoices, calendar files) are files, not pages that could scroll.
FILES = (".csv", ".xlsx", ".pdf", ".ics", ".json")
MAX_PAGES = 60  # per role: far more than a role has; a crawl that runs away fails instead


def _overflow(page) -> dict:
    return page.evaluate(
        """() => ({
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            wide: [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    && ![...e.children].some(c => c.getBoundingClientRect().right
                        > window.innerWidth + 0.5))
                .slice(0, 4)
                .map(e => e.tagName.toLowerCase() + '.' + e.className),
            links: [...document.querySelectorAll('a[href]')].map(a => a.href),
        })"""
    )


def _crawl(page, origin: str, *, check=None) -> dict[str, dict]:
    """Every page reachable by links from the current page: {path: what _overflow saw}."""
    seen: dict[str, dict] = {}
    queue = [urlsplit(page.url).path]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        assert len(seen) < MAX_PAGES, f"more than {MAX_PAGES} pages: {sorted(seen)}"
        response = page.goto(path)
        page.wait_for_load_state()
        found = _overflow(page)
        found["status"] = response.status if response else None
        if check:
            check(page)
        seen[path] = found
        for href in found.pop("links"):
            parts = urlsplit(href)
            target = parts.path
            if f"{parts.scheme}://{parts.netloc}" != origin or target.startswith(SKIPPED):
                continue
            if target.endswith(FILES):
                continue
            if target not in seen and target not in queue:
                queue.append(target)
    return seen


@pytest.fixture
def lived_in(cast):
    """A question answered, one waiting, notifications: the pages have something to show."""
    answered = cast.ask(title="Huurachterstand en dreigende ontruiming bij alleenstaande moeder")
    services.question_advise(
        actor=cast.expert, question=answered, body="Meld het gezin vandaag bij schuldhulp aan."
    )
    cast.ask(title="Tweede vraag met een heel lange titel die op een telefoon moet afbreken")
    for title in ("Vraag voor de triage", "Nog een vraag voor de triage"):  # the triage pool's
        waiting = services.question_create(
            actor=cast.generalist,
            case=cast.case,
            pool=cast.org["pool"],
            data=services.QuestionInput(
                title=title,
                situation="Vaste lasten lopen op.",
                tried="Overzicht gemaakt.",
                question="Welke route raad je aan?",
                urgency="normal",
            ),
        )
        services.question_submit(actor=cast.generalist, question=waiting)
    # Sessions (issue 11): a team pool with its coordinator, a recurring meeting, a session with
    # a question on its agenda and the network pool's expert invited, and one held earlier.
    team = build_team_pool(cast)
    cast.coordinator = team.coordinator
    series_save(
        actor=team.coordinator,
        pool=team.pool,
        data=SeriesInput(
            rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            first_date=timezone.localdate(),
            start_time=time(13, 0),
            place="Wijkcentrum De Kruisweg",
        ),
    )
    ask_team(cast, team, title="Zorgen om schooluitval: op de agenda van het expertiseteam")
    session = Session.objects.filter(pool=team.pool).order_by("starts_at").first()
    invite_experts(actor=team.coordinator, session=session, experts=[cast.expert])
    held = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=1))
    Session.objects.filter(pk=held.pk).update(
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=2),
        status=Session.Status.HELD,
    )
    # The region admin (issue 12) reads the region the cast's teams are in.
    cast.region_admin = user_maker(cast.org)(Role.REGION_ADMIN)
    return cast


@pytest.mark.parametrize("width", [320, 640])
@pytest.mark.parametrize(
    "role",
    [
        "generalist",
        "team_lead",
        "expert",
        "triage",
        "coordinator",
        "municipality_admin",
        "region_admin",
    ],
)
def test_no_page_of_any_role_scrolls_sideways(lived_in, open_page, live_server, role, width):
    page = open_page()
    sign_in_verified(page, getattr(lived_in, role))
    page.set_viewport_size({"width": width, "height": 800})
    pages = _crawl(page, live_server.url, check=assert_accessible if width == 320 else None)
    assert len(pages) >= 2, f"the crawl found only {sorted(pages)}"
    broken = {path: seen["status"] for path, seen in pages.items() if seen["status"] != 200}
    assert not broken, f"links that do not lead to a page: {broken}"
    too_wide = {
        path: (seen["overflow"], seen["wide"]) for path, seen in pages.items() if seen["overflow"]
    }
    for path in [*too_wide, *list(pages)[:4]]:  # the wide ones, and a few to look at
        page.goto(path)
        screenshot(page, f"reflow-{width}-{role}-{path}")
    assert not too_wide, f"{role}: pages that scroll sideways at {width} px: {too_wide}"
