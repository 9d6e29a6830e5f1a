"""A session of the expertise team in headless Chromium (issue 11): the coordinator plans it with
two questions and three experts, using a proposed moment; the invitations go out through a real
Celery worker, one per invitee, with an .ics a calendar reads back; one expert declines; the
coordinator moves it (an update, same UID, higher SEQUENCE), marks it held and records the
outcome per agenda item; the generalist reads the advice from the session on the question page;
the attendance becomes time entries, an expert confirms theirs, and the month's export holds
exactly the confirmed time (read back with openpyxl). Each page passes axe-core and reflows at
320 px; screenshots at 1280 and 320 px are left in test-artifacts/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from consultation.models import Message, Status
from hours.models import TimeEntry
from meetings.models import AgendaItem, Invitation, Session
from tests.browser.helpers import (
    look,
    sign_in_verified,
)
from tests.helpers import worker_caught_up
from tests.meetings.helpers import ask_team, build_team_pool
from tests.meetings.mailing import case_content, event_of, every_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, name):
    look(page, f"sessions-{name}")


def _next_weekday(days):
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def team(cast):
    team = build_team_pool(cast)
    team.coordinator.first_name, team.coordinator.last_name = "Fenna", "Coördinator"
    team.coordinator.save()
    for expert, (first, last) in zip(
        team.experts,
        [("Imke", "Jeugdarts"), ("Joëlle", "Verpleegkundige"), ("Kick", "Schuld")],
        strict=True,
    ):
        expert.first_name, expert.last_name = first, last
        expert.save()
    # One care provider employs the two who come: its invoice shows whose time is confirmed.
    provider = team.experts[0].expert_profile.organisation
    team.experts[2].expert_profile.organisation = provider
    team.experts[2].expert_profile.save()
    return team


def _calendars(mailoutbox, session, *, sequence):
    """Each mail sent so far: to one person, with an event of the session at `sequence`."""
    events = {}
    for message in mailoutbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        calendar, event = event_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]).startswith(str(session.uid))
        events[message.to[0]] = (event, message)
    assert {int(event["SEQUENCE"]) for event, _m in events.values()} == {sequence}
    return events


def test_a_session_from_plan_to_advice(open_page, cast, team, celery_worker, mailoutbox, tmp_path):
    first = ask_team(cast, team, title="Zorgen om schooluitval van de oudste", urgency="urgent")
    second = ask_team(cast, team, title="Huurachterstand en dreigende ontruiming", urgency="normal")
    assert first.status == second.status == Status.SCHEDULED

    # --- The coordinator lands on the sessions and plans one.
    coordinator = open_page()
    sign_in_verified(coordinator, team.coordinator)
    coordinator.wait_for_url("**/overleg/")
    _look(coordinator, "01-home")
    coordinator.get_by_role("link", name="Een overleg plannen").click()
    coordinator.wait_for_url(f"**/overleg/plannen/{team.pool.pk}/")
    for expert in team.experts:  # a team pool's own experts, ticked already
        assert coordinator.get_by_label(expert.get_full_name(), exact=False).is_checked()
    coordinator.get_by_label(f"{first.case.pseudonym}: {first.title}").check()
    coordinator.get_by_label(f"{second.case.pseudonym}: {second.title}").check()
    coordinator.locator(f"#id_minutes_{first.pk}").fill("30")
    coordinator.locator(f"#id_minutes_{second.pk}").fill("25")
    assert coordinator.get_by_text("Voorgestelde momenten").is_visible()
    coordinator.get_by_role("button", name="Kies").nth(1).click()  # the second proposal
    coordinator.wait_for_load_state()
    # The choices survived; the moment is the proposal's.
    assert coordinator.get_by_label(f"{first.case.pseudonym}: {first.title}").is_checked()
    assert coordinator.locator(f"#id_minutes_{first.pk}").input_value() == "30"
    assert coordinator.get_by_label("Begint om").input_value() == "13:00"
    coordinator.get_by_label("Plaats").fill("Wijkcentrum De Kruisweg, zaal 2")
    _look(coordinator, "02-plan")
    coordinator.get_by_role("button", name="Overleg plannen").click()
    coordinator.get_by_text("Het overleg is gepland").wait_for()
    session = Session.objects.get()
    assert AgendaItem.objects.filter(session=session).count() == 2
    assert Invitation.objects.filter(session=session, role="expert").count() == 3
    assert Invitation.objects.filter(session=session, user=cast.generalist).exists()
    _look(coordinator, "03-session")
    # The invitations, sent by the worker: one each, an .ics read back, no case content.
    worker_caught_up()
    invited = {u.email for u in [*team.experts, cast.generalist]}
    events = _calendars(mailoutbox, session, sequence=0)
    assert invited <= set(events)
    start = timezone.localtime(session.starts_at)
    for event, message in events.values():
        assert timezone.localtime(event["DTSTART"].dt) == start
        assert "2 casussen" in str(event["SUMMARY"]) or "2 casussen" in message.body
        text = every_text(message)
        for question in (first, second):
            assert not [w for w in case_content(question) if w and w in text]

    # --- One expert cannot come.
    expert = open_page()
    sign_in_verified(expert, team.experts[1])
    expert.get_by_role("link", name="Overleggen").click()
    expert.locator(f"a[href='/overleg/{session.pk}/']").first.click()
    expert.wait_for_url(f"**/overleg/{session.pk}/")
    assert expert.get_by_role("link", name=first.title).is_visible()  # prepares from the agenda
    expert.get_by_role("button", name="Ik kan niet komen").click()
    expert.get_by_text("Je antwoord is opgeslagen.").wait_for()
    _look(expert, "04-expert-declines")
    assert (
        Invitation.objects.get(session=session, user=team.experts[1]).response
        == Invitation.Response.DECLINED
    )

    # --- The coordinator moves it to another day.
    coordinator.goto(f"/overleg/{session.pk}/")
    assert coordinator.get_by_text("komt niet").is_visible()
    coordinator.get_by_role("link", name="Verplaatsen").click()
    new_day = _next_weekday(10)
    coordinator.get_by_label("Datum").fill(new_day.isoformat())
    coordinator.get_by_label("Begint om").fill("10:00")
    coordinator.get_by_label("Eindigt om").fill("12:00")
    _look(coordinator, "05-move")
    coordinator.get_by_role("button", name="Overleg verplaatsen").click()
    coordinator.get_by_text("Het overleg is verplaatst").wait_for()
    session.refresh_from_db()
    assert session.sequence == 1
    assert timezone.localtime(session.starts_at).date() == new_day
    worker_caught_up()
    moved = [m for m in mailoutbox if int(event_of(m)[1]["SEQUENCE"]) == 1]
    assert invited <= {m.to[0] for m in moved}  # an update to each, the decliner too
    assert all(str(event_of(m)[1]["UID"]) == str(events[m.to[0]][0]["UID"]) for m in moved)
    assert all(timezone.localtime(event_of(m)[1]["DTSTART"].dt).date() == new_day for m in moved)
    # A move asks everyone again (the new moment may suit the one who declined): she still
    # cannot come, and says so once more.
    expert.goto(f"/overleg/{session.pk}/")
    expert.get_by_role("button", name="Ik kan niet komen").click()
    expert.get_by_text("Je antwoord is opgeslagen.").wait_for()

    # --- The day has come (the clock moved on): held, and the outcome per agenda item.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(minutes=5)
    )
    coordinator.reload()
    coordinator.get_by_role("button", name="Markeren als gehouden").click()
    coordinator.get_by_text("Het overleg staat op gehouden.").wait_for()
    advice = {
        first: "Huisbezoek met de jeugdarts deze week; school en leerplicht samen aan tafel.",
        second: "Schuldhulp vraagt uitstel bij de verhuurder; budgetbeheer starten.",
    }
    for question, text in advice.items():
        item = AgendaItem.objects.get(session=session, question=question)
        box = coordinator.locator(f"#item-{item.pk}")
        box.get_by_text("De uitkomst vastleggen").click()
        box.get_by_label("Afgesproken advies").fill(text)
        box.get_by_label(team.experts[0].get_full_name(), exact=False).check()
        box.get_by_label(team.experts[2].get_full_name(), exact=False).check()
        if question == first:
            _look(coordinator, "06-outcome-form")
        box.get_by_role("button", name="Uitkomst vastleggen").click()
        coordinator.get_by_text("De uitkomst is vastgelegd").wait_for()
    _look(coordinator, "07-outcomes")
    for question, text in advice.items():
        message = Message.objects.get(question=question, kind=Message.Kind.ADVICE)
        assert message.body == text
        question.refresh_from_db()
        assert question.status == Status.ANSWERED

    # --- The generalist reads the advice from the session, and sees it was discussed.
    generalist = open_page()
    sign_in_verified(generalist, cast.generalist)
    generalist.goto(f"/vragen/{first.pk}/")
    assert generalist.get_by_text("Besproken in het expertiseoverleg van").is_visible()
    assert generalist.get_by_text(advice[first]).is_visible()
    _look(generalist, "08-generalist-question")
    generalist.get_by_role("link", name="Naar het overleg").click()
    generalist.wait_for_url(f"**/overleg/{session.pk}/")
    assert generalist.get_by_text(advice[first]).is_visible()
    assert not generalist.get_by_role("button", name="Markeren als gehouden").count()
    _look(generalist, "09-generalist-session")

    # --- The attendance: proposed to the two who came, confirmed by one on "Mijn uren".
    session.refresh_from_db()
    proposed = TimeEntry.objects.filter(session=session)
    assert {e.expert_id for e in proposed} == {team.experts[0].pk, team.experts[2].pk}
    length = int((session.ends_at - session.starts_at).total_seconds() // 60)
    assert {(e.minutes, e.status) for e in proposed} == {(length, TimeEntry.Status.PROPOSED)}
    imke = open_page()
    sign_in_verified(imke, team.experts[0])
    imke.goto("/uren/")
    card = imke.locator("article.wx-proposed")
    assert card.locator("input[name=minutes]").input_value() == str(length)
    _look(imke, "10-my-hours")
    card.locator("input[name=minutes]").fill("110")
    card.get_by_role("button", name=re.compile("^Bevestigen")).click()
    imke.wait_for_load_state()
    confirmed = TimeEntry.objects.get(session=session, expert=team.experts[0])
    assert (confirmed.minutes, confirmed.status) == (110, TimeEntry.Status.CONFIRMED)
    _look(imke, "11-my-hours-confirmed")

    # --- The month's invoice of their care provider: exactly the confirmed time.
    provider = team.experts[0].expert_profile.organisation
    coordinator.goto("/uren/facturen/")
    coordinator.get_by_label("Zorgaanbieder").select_option(label=provider.name)
    coordinator.get_by_role("button", name="Bekijk wat er geëxporteerd wordt").click()
    coordinator.wait_for_load_state()
    coordinator.get_by_role("button", name="Exporteren en vastzetten").click()
    coordinator.wait_for_load_state()
    _look(coordinator, "12-export")
    with coordinator.expect_download() as download_info:
        coordinator.get_by_role("link", name="XLSX").first.click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    book = load_workbook(path)
    name = team.experts[0].get_full_name()
    entries = [r for r in book["Uren"].iter_rows(values_only=True) if isinstance(r[4], int)]
    assert [(r[0], r[2], r[4]) for r in entries] == [(name, "overleg", 110)]
    totals = list(book["Totalen"].iter_rows(values_only=True))
    assert totals[1:] == [(name, 110), ("Totaal", 110)]
    # The one who did not confirm is not invoiced; the confirmed entry is locked now.
    confirmed.refresh_from_db()
    assert confirmed.is_locked
    assert not TimeEntry.objects.get(session=session, expert=team.experts[2]).is_locked
