"""The personal calendar feed: a secret URL (only its hash stored), made and revoked on the
profile page; the .ics lists one's own sessions (invited, not declined; cancelled ones as
CANCELLED), no case content, in a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.tokens import hash_secret
from meetings.feeds import feed_create, feed_revoke
from meetings.models import AgendaItem, CalendarFeed, Invitation, Session
from tests.meetings.helpers import ask_team, build_team_pool
from tests.meetings.mailing import assert_no_case_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


def _session(team, *, days, status=Session.Status.PLANNED, invite=(), response="pending"):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    session = Session.objects.create(
        pool=team.pool,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadhuis, zaal 2",
        status=status,
    )
    for user in invite:
        Invitation.objects.create(
            session=session, user=user, role=Invitation.Role.EXPERT, response=response
        )
    return session


def _get(secret, client=None):
    return (client or Client()).get(f"/overleg/agenda/{secret}.ics")


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _uid(session):
    return f"{session.uid}@wijkexpert"


def test_the_feed_lists_ones_own_sessions_and_nothing_of_the_cases(cast, team):
    me, other = team.experts[0], team.experts[1]
    question = ask_team(cast, team)
    coming = _session(team, days=5, invite=[me, other])
    AgendaItem.objects.create(session=coming, question=question)
    cancelled = _session(team, days=6, status=Session.Status.CANCELLED, invite=[me])
    declined = _session(team, days=7, invite=[me], response=Invitation.Response.DECLINED)
    not_mine = _session(team, days=8, invite=[other])
    long_ago = _session(team, days=-200, status=Session.Status.HELD, invite=[me])
    _feed, secret = feed_create(user=me)

    response = _get(secret)  # no login: a calendar program cannot sign in

    events = _events(response)
    assert set(events) == {_uid(coming), _uid(cancelled)}
    assert str(events[_uid(coming)]["SUMMARY"]) == "Expertiseoverleg, 1 casus"
    assert events[_uid(coming)]["STATUS"] == "CONFIRMED"
    assert events[_uid(cancelled)]["STATUS"] == "CANCELLED"
    assert str(events[_uid(coming)]["ATTENDEE"]) == f"mailto:{me.email}"
    assert other.email not in response.content.decode()  # only one's own attendance
    for absent in (declined, not_mine, long_ago):
        assert _uid(absent) not in events
    assert_no_case_content(response.content.decode(), question)
    assert response["Cache-Control"] == "private, no-cache"


def test_unknown_revoked_and_replaced_links_are_404(team):
    me = team.experts[0]
    _session(team, days=5, invite=[me])
    _feed, secret = feed_create(user=me)
    assert _get(secret).status_code == 200

    assert _get(secret[:-1] + ("A" if secret[-1] != "A" else "B")).status_code == 404
    assert _get("kort").status_code == 404
    _feed, newer = feed_create(user=me)  # a new link: the old one dies
    assert _get(secret).status_code == 404
    assert _get(newer).status_code == 200
    feed_revoke(user=me)
    assert _get(newer).status_code == 404
    # Only the hash is stored, never the secret.
    assert CalendarFeed.objects.filter(token_hash=hash_secret(newer)).exists()
    assert not CalendarFeed.objects.filter(token_hash=newer).exists()


def test_a_deactivated_owner_has_no_feed(team):
    me = team.experts[0]
    _feed, secret = feed_create(user=me)
    me.is_active = False
    me.save(update_fields=["is_active"])
    assert _get(secret).status_code == 404


@pytest.mark.parametrize("sessions", [1, 25])
def test_the_feed_takes_two_queries_however_many_sessions(
    team, sessions, django_assert_num_queries
):
    me = team.experts[0]
    for day in range(sessions):
        _session(team, days=day + 1, invite=[me])
    _feed, secret = feed_create(user=me)
    client = Client()
    # 1: the feed by its secret's hash, with its owner; 2: the invitations with their
    # sessions, pools and agenda counts.
    with django_assert_num_queries(2):
        response = _get(secret, client)
    assert len(_events(response)) == sessions


# --- The profile page ----------------------------------------------------------------------------
def test_the_link_is_made_shown_once_and_revoked_on_the_profile_page(team, verified_client):
    me = team.experts[0]
    _session(team, days=5, invite=[me])
    client = verified_client(me)
    profile = client.get(reverse("accounts:profile"))
    assert "Overleggen in je eigen agenda" in profile.content.decode()
    assert "Agenda-link maken" in profile.content.decode()

    made = client.post(reverse("meetings_calendar:feed-new"))

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"] or "no-cache" in made["Cache-Control"]
    url = re.search(r'value="(http[^"]+\.ics)"', made.content.decode()).group(1)
    assert url.startswith("http://testserver/overleg/agenda/")
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200
    again = client.get(reverse("accounts:profile")).content.decode()
    assert url not in again  # shown once: it is stored nowhere
    assert "Je hebt een agenda-link" in again

    revoked = client.post(reverse("meetings_calendar:feed-revoke"))
    assert revoked.status_code == 302
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404
    assert not CalendarFeed.objects.filter(user=me, revoked_at__isnull=True).exists()


def test_someone_never_invited_has_no_calendar_section(cast, verified_client):
    client = verified_client(cast.municipality_admin)
    assert (
        "Overleggen in je eigen agenda"
        not in client.get(reverse("accounts:profile")).content.decode()
    )
    assert client.post(reverse("meetings_calendar:feed-new")).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_making_a_link_needs_a_signed_in_user_and_a_post(team, client, verified_client):
    anonymous = client.post(reverse("meetings_calendar:feed-new"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    signed_in = verified_client(team.experts[0])
    assert signed_in.get(reverse("meetings_calendar:feed-new")).status_code == 405
    assert not CalendarFeed.objects.exists()
