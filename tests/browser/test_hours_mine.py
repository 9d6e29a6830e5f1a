"""An expert's own hours in headless Chromium (issue 11): right after their written advice the
question page asks how long it took; "Mijn uren" in the navigation shows the month against each
pool's cap with the warning, the attendance of a held session to confirm (a bad number is an
error at the field), the month's entries; a correction is a new entry with the difference; the
month chooser. Each page passes axe-core and reflows at 320 px; screenshots at 1280 and 320 px
are left in test-artifacts/."""

import re

import pytest

from hours.models import TimeEntry
from hours.services import time_entry_register_advice
from meetings.services.agenda import invite_experts
from meetings.services.planning import session_hold
from tests.browser.helpers import (
    look,
    sign_in_verified,
)
from tests.hours.helpers import advice_by, planned_session, started
from tests.meetings.helpers import build_team_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, name):
    look(page, f"hours-mine-{name}")


def test_the_expert_registers_confirms_and_corrects_their_time(open_page, cast):
    expert = cast.expert
    expert.first_name, expert.last_name = "Imke", "Schuldhulp"
    expert.save()
    # 200 minutes of advice in the network pool this month: 83 % of the cap.
    first = time_entry_register_advice(expert=expert, message=advice_by(cast), minutes=200)
    # A session of the team pool, held: its two hours proposed to Imke.
    team = build_team_pool(cast)
    expert.expert_profile.pools.add(team.pool)
    session = planned_session(cast, team, declined=0)
    invite_experts(actor=team.coordinator, session=session, experts=[expert])
    session_hold(planner=team.coordinator, session=started(session))
    proposal = TimeEntry.objects.get(session=session, expert=expert)
    # Advice just sent, without its time yet.
    message = advice_by(cast, title="Tweede vraag")

    page = open_page()
    sign_in_verified(page, expert)
    page.goto(f"/vragen/{message.question_id}/")
    panel = page.locator("section.wx-advice-times")
    _look(page, "01-advice-time")
    panel.get_by_label("Hoeveel tijd kostte dit advies?").fill("25")
    panel.get_by_role("button", name="Tijd registreren").click()
    page.wait_for_load_state()
    assert page.get_by_text("Geregistreerd: 25 minuten voor je advies.").is_visible()
    assert page.get_by_text(re.compile(r"Geregistreerd voor je advies van .*: 25 min\.")).count()
    assert TimeEntry.objects.get(message=message).minutes == 25

    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name="Mijn uren"
    ).click()
    page.wait_for_url("**/uren/")
    usage = page.locator("section.wx-usage", has_text=cast.pool.name)
    assert usage.get_by_text("3 u 45 min van 4 u").is_visible()
    assert usage.get_by_text(re.compile("Je hebt 94 % van het plafond gebruikt")).is_visible()
    card = page.locator("article.wx-proposed")
    assert card.locator("input[name=minutes]").input_value() == "120"
    assert first.question.case.pseudonym in page.content()
    _look(page, "02-my-hours")

    # A bad number: the error at the field, nothing confirmed.
    card.locator("input[name=minutes]").fill("0")
    card.get_by_role("button", name=re.compile("^Bevestigen")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Vul de minuten in als een heel getal van 1 tot en met 600.").count()
    _look(page, "03-bad-minutes")
    card = page.locator("article.wx-proposed")
    card.locator("input[name=minutes]").fill("90")
    card.get_by_role("button", name=re.compile("^Bevestigen")).click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("Bevestigd: 90 minuten voor het overleg van")).is_visible()
    proposal.refresh_from_db()
    assert (proposal.minutes, proposal.status) == (90, TimeEntry.Status.CONFIRMED)

    # A correction of the first advice: 200 -> 180, a new entry of -20.
    page.locator(f"#entry-{first.pk}").get_by_role("link", name=re.compile("^Corrigeren")).click()
    page.wait_for_url(f"**/uren/{first.pk}/corrigeren/")
    _look(page, "04-correct")
    page.get_by_label("De juiste tijd in totaal (minuten)").fill("180")
    page.get_by_label("Waarom corrigeer je de tijd?").fill("Dubbel geteld")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.wait_for_url("**/uren/")
    assert page.get_by_text("Gecorrigeerd naar 180 minuten").is_visible()
    assert (
        page.locator("section.wx-usage", has_text=cast.pool.name)
        .get_by_text("3 u 25 min van 4 u")
        .is_visible()
    )
    first.refresh_from_db()
    assert first.minutes == 200 and first.corrections.get().minutes == -20
    _look(page, "05-corrected")

    # The month before: nothing registered.
    page.get_by_role("link", name="Vorige maand").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("^Geen tijd geregistreerd in")).is_visible()
    _look(page, "06-last-month")
