"""A session's page for its planners: the agenda (add, take off), more experts invited, per
agenda item the outcome (advice and who took part) or carried over; the recurring meeting of a
team pool; the question page saying when the question is discussed; the coordinator answering in
writing. Each write: happy path, bad input 400, not a planner 403 / another pool 404, once."""

from dataclasses import replace
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.models import Message, Notification, Status
from meetings.models import AgendaItem, Invitation, MeetingSeries, Session
from meetings.services.planning import session_plan
from submissions.web import new_token
from tests.accounts.factories import UserFactory
from tests.expertise.factories import ExpertProfileFactory
from tests.helpers import verify_session
from tests.meetings.helpers import ask_team, build_team_pool, moment

pytestmark = pytest.mark.django_db
REQUEST_OVERHEAD = 2  # the user and the OTP device (tests/triage/test_query_budget.py)


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def other_coordinator(cast):
    return build_team_pool(cast).coordinator


def _session(team, questions=(), experts=None, days=7):
    return session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(days=days),
        questions=questions,
        experts=team.experts if experts is None else experts,
    )


def _started(session):
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def _post(client, name, session, item=None, **data):
    args = [session.pk] if item is None else [session.pk, item.pk]
    data.setdefault("submission_token", new_token())
    return client.post(reverse(f"meetings:{name}", args=args), data)


# --- The agenda ---------------------------------------------------------------------------------
def test_putting_a_question_on_the_agenda_and_taking_it_off(client, cast, team):
    session = _session(team)
    question = ask_team(cast, team, title="Nieuw binnen")  # filled in by the team pool's routing
    item = AgendaItem.objects.get(session=session, question=question)
    verify_session(client, team.coordinator)
    assert _post(client, "agenda-remove", session, item).status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.REMOVED
    page = client.get(reverse("meetings:session", args=[session.pk]))
    assert [q.pk for q in page.context["add_form"].waiting.values()] == [question.pk]
    bad = _post(client, "agenda-add", session, question=str(question.pk), minutes="2")
    assert bad.status_code == 400 and "minutes" in bad.context["add_form"].errors
    unknown = _post(client, "agenda-add", session, question="999999", minutes="20")
    assert unknown.status_code == 400 and "question" in unknown.context["add_form"].errors
    data = {"question": str(question.pk), "minutes": "35", "submission_token": new_token()}
    assert _post(client, "agenda-add", session, **data).status_code == 302
    assert _post(client, "agenda-add", session, **data).status_code == 302  # the same again
    item.refresh_from_db()
    assert (item.status, item.minutes) == (AgendaItem.Status.ON_AGENDA, 35)
    assert AgendaItem.objects.filter(question=question).count() == 1


def test_a_full_agenda_takes_no_more(client, cast, team):
    session = _session(team)
    Session.objects.filter(pk=session.pk).update(capacity=1)
    ask_team(cast, team, title="Eerste")
    waiting = ask_team(cast, team, title="Tweede")  # no room: waits
    verify_session(client, team.coordinator)
    page = client.get(reverse("meetings:session", args=[session.pk]))
    assert page.context["room_left"] is False
    response = _post(client, "agenda-add", session, question=str(waiting.pk), minutes="20")
    assert response.status_code == 400
    assert "De agenda van dit overleg is vol." in response.content.decode()


# --- Invitations --------------------------------------------------------------------------------
def test_inviting_more_experts(client, cast, team):
    session = _session(team, experts=team.experts[:1])
    verify_session(client, team.coordinator)
    page = client.get(reverse("meetings:session", args=[session.pk]))
    offered = {int(pk) for pk, _label in page.context["invite_form"].fields["experts"].choices}
    assert set(u.pk for u in team.experts[1:]) <= offered
    assert team.experts[0].pk not in offered
    assert _post(client, "invite", session).status_code == 400  # nobody chosen
    assert _post(client, "invite", session, experts=[str(cast.generalist.pk)]).status_code == 400
    data = {"experts": [str(team.experts[1].pk)], "submission_token": new_token()}
    assert _post(client, "invite", session, **data).status_code == 302
    assert _post(client, "invite", session, **data).status_code == 302
    assert Invitation.objects.filter(session=session, user=team.experts[1]).count() == 1


# --- Outcomes -----------------------------------------------------------------------------------
def test_recording_the_outcome_of_an_agenda_item(client, cast, team):
    question = ask_team(cast, team, title="Zorgen om schooluitval")
    session = _started(_session(team, questions=[question]))
    item = AgendaItem.objects.get(session=session, question=question)
    verify_session(client, team.coordinator)
    page = client.get(reverse("meetings:session", args=[session.pk]))
    form = page.context["agenda"][0].outcome_form
    assert {int(pk) for pk, _l in form.fields["participants"].choices} == {
        u.pk for u in team.experts
    }
    prefix = f"item-{item.pk}"
    bad = _post(client, "outcome", session, item, **{f"{prefix}-advice": " "})
    assert bad.status_code == 400
    errors = bad.context["agenda"][0].outcome_form.errors
    assert set(errors) == {"advice", "participants"}
    advice = "Huisbezoek met de jeugdarts; schuldhulp vraagt uitstel bij de verhuurder."
    data = {
        f"{prefix}-advice": advice,
        f"{prefix}-participants": [str(u.pk) for u in team.experts[:2]],
        "submission_token": new_token(),
    }
    first = _post(client, "outcome", session, item, **data)
    assert first.status_code == 302 and first.url.endswith(f"#item-{item.pk}")
    _post(client, "outcome", session, item, **data)
    assert Message.objects.filter(question=question, kind=Message.Kind.ADVICE).count() == 1
    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    assert Notification.objects.filter(recipient=cast.generalist, question=question).exists()
    item.refresh_from_db()
    assert set(item.participants.all()) == set(team.experts[:2])
    # The generalist reads the advice from the session on the question page.
    verify_session(client, cast.generalist)
    html = client.get(reverse("consultation:question", args=[question.pk])).content.decode()
    assert advice in html and "expertiseoverleg" in html
    assert "Besproken in het expertiseoverleg van" in html


def test_carrying_an_item_over(client, cast, team):
    question = ask_team(cast, team)
    session = _started(_session(team, questions=[question]))
    item = AgendaItem.objects.get(session=session, question=question)
    verify_session(client, team.coordinator)
    response = _post(client, "carry-over", session, item)
    assert response.status_code == 302  # no later session: said in a message
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ON_AGENDA
    later = _session(team, days=14)
    _post(client, "carry-over", session, item)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CARRIED_OVER
    assert item.carried_to.session == later


@pytest.mark.parametrize("name", ["agenda-add", "agenda-remove", "invite", "outcome", "carry-over"])
def test_only_planners_keep_the_agenda(client, cast, team, other_coordinator, name):
    question = ask_team(cast, team)
    session = _started(_session(team, questions=[question]))
    item = AgendaItem.objects.get(session=session)
    with_item = item if name not in ("agenda-add", "invite") else None
    data = {
        "question": str(question.pk),
        "minutes": "20",
        "experts": [str(team.experts[0].pk)],
        f"item-{item.pk}-advice": "Advies",
        f"item-{item.pk}-participants": [str(team.experts[0].pk)],
    }
    for person, status in (
        (team.experts[0], 403),  # invited: sees the session, does not plan it
        (cast.generalist, 403),
        (other_coordinator, 404),
        (UserFactory(), 404),
    ):
        verify_session(client, person)
        assert _post(client, name, session, with_item, **data).status_code == status, person
    item.refresh_from_db()
    assert (item.status, item.outcome_id) == (AgendaItem.Status.ON_AGENDA, None)


# --- Query budgets ------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 12])
def test_the_session_page_reads_a_fixed_number_of_queries(
    client, cast, team, rows, django_assert_num_queries
):
    experts = [ExpertProfileFactory(pools=[team.pool]).user for _ in range(rows)]
    questions = [ask_team(cast, team, title=f"Vraag {i}") for i in range(rows)]
    session = session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=replace(moment(minutes=480), capacity=20),
        questions=questions,
        experts=experts,
    )
    session = _started(session)
    items = list(AgendaItem.objects.filter(session=session))
    items[0].participants.set(experts)
    url = reverse("meetings:session", args=[session.pk])
    verify_session(client, team.coordinator)
    client.get(url)
    # The session (1); its invitations with users and profiles (1); the agenda the reader may
    # read, with questions, cases, outcomes (1) and the participants (1); whether the reader
    # plans (1); the questions waiting (1) and the experts who can be invited (1).
    with django_assert_num_queries(REQUEST_OVERHEAD + 7):
        response = client.get(url)
    assert len(response.context["agenda"]) == rows
    assert len(response.context["experts"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_planning_page_reads_a_fixed_number_of_queries(
    client, cast, team, rows, django_assert_num_queries
):
    for i in range(rows):
        ExpertProfileFactory(pools=[team.pool])
        ask_team(cast, team, title=f"Vraag {i}")
    url = reverse("meetings:plan", args=[team.pool.pk])
    verify_session(client, team.coordinator)
    client.get(url)
    # The pool the user plans, with its recurring meeting (1); the experts who can be invited
    # (1); the questions waiting (1).
    with django_assert_num_queries(REQUEST_OVERHEAD + 3):
        response = client.get(url)
    assert len(response.context["rows"]) == rows


# --- The recurring meeting ----------------------------------------------------------------------
def _series_data(**fields):
    data = {
        "preset": "2",
        "weekday": "TU",
        "rrule": "",
        "first_date": timezone.localdate().isoformat(),
        "start_time": "13:00",
        "duration_minutes": "120",
        "place": "Wijkcentrum De Kruisweg",
        "video_link": "",
        "capacity": "4",
        "weeks_ahead": "6",
        "is_active": "on",
        "submission_token": new_token(),
    }
    data.update(fields)
    return data


def test_a_coordinator_sets_the_recurring_meeting(client, cast, team):
    waiting = ask_team(cast, team)
    url = reverse("meetings:series", args=[team.pool.pk])
    verify_session(client, team.coordinator)
    home = client.get(reverse("meetings:home"))
    assert url in home.content.decode()
    assert client.get(url).status_code == 200
    data = _series_data()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same submit: saved once
    series = MeetingSeries.objects.get(pool=team.pool)
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    sessions = Session.objects.filter(series=series).order_by("starts_at")
    assert sessions.count() == 3  # every second Tuesday, six weeks ahead
    assert all(timezone.localtime(s.starts_at).weekday() == 1 for s in sessions)
    assert timezone.localtime(sessions[0].starts_at).time() == time(13, 0)
    assert AgendaItem.objects.filter(question=waiting, session=sessions[0]).exists()
    # Shown again with the preset read back from the rule; "elke twee weken op dinsdag" on home.
    page = client.get(url)
    assert page.context["form"].initial["preset"] == "2"
    assert (
        "elke twee weken op dinsdag, 13:00–15:00"
        in client.get(reverse("meetings:home")).content.decode()
    )
    # A raw rule.
    custom = _series_data(preset="custom", rrule="FREQ=MONTHLY;BYDAY=2TU")
    assert client.post(url, custom).status_code == 302
    series.refresh_from_db()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TU"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"preset": "custom", "rrule": ""}, "rrule"),
        ({"preset": "custom", "rrule": "ELKE DINSDAG"}, "rrule"),
        ({"preset": "custom", "rrule": "BYDAY=TU"}, "rrule"),
        ({"preset": "3"}, "preset"),
        ({"weekday": ""}, "weekday"),
        ({"start_time": "dertien uur"}, "start_time"),
        ({"duration_minutes": "5"}, "duration_minutes"),
        ({"duration_minutes": "600"}, "duration_minutes"),
        ({"weeks_ahead": "100"}, "weeks_ahead"),
        ({"place": "", "video_link": ""}, "place"),
        ({"video_link": "ftp://x.nl/"}, "video_link"),
    ],
)
def test_a_bad_recurring_meeting_is_refused(client, team, fields, field):
    verify_session(client, team.coordinator)
    response = client.post(reverse("meetings:series", args=[team.pool.pk]), _series_data(**fields))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not MeetingSeries.objects.exists() and not Session.objects.exists()


def test_only_the_pools_coordinators_set_its_recurring_meeting(
    client, cast, team, other_coordinator
):
    url = reverse("meetings:series", args=[team.pool.pk])
    for person in (other_coordinator, cast.triage, team.experts[0], cast.generalist):
        verify_session(client, person)
        assert client.get(url).status_code == 404
        assert client.post(url, _series_data()).status_code == 404
    # A triage pool has no recurring meeting.
    cast.org["pool"].coordinators.add(team.coordinator)
    verify_session(client, team.coordinator)
    assert client.get(reverse("meetings:series", args=[cast.org["pool"].pk])).status_code == 404
    assert not MeetingSeries.objects.exists()


# --- The question page --------------------------------------------------------------------------
def test_the_question_page_says_when_it_is_discussed(client, cast, team):
    session = _session(team)
    question = ask_team(cast, team)
    url = reverse("consultation:question", args=[question.pk])
    session_url = reverse("meetings:session", args=[session.pk])
    for person in (cast.generalist, team.experts[0]):
        verify_session(client, person)
        html = client.get(url).content.decode()
        assert "Staat op de agenda van het expertiseoverleg van" in html, person
        assert session_url in html
    # Taken off the agenda: nothing to say.
    AgendaItem.objects.filter(session=session).update(status=AgendaItem.Status.REMOVED)
    verify_session(client, cast.generalist)
    assert "expertiseoverleg van" not in client.get(url).content.decode()


@pytest.mark.parametrize("messages", [1, 20])
def test_a_team_pool_question_page_reads_one_query_more(
    client, cast, team, messages, django_assert_num_queries
):
    _session(team)
    question = ask_team(cast, team)
    for i in range(messages):
        Message.objects.create(
            question=question, author=team.experts[0], kind="advice", body=str(i)
        )
    url = reverse("consultation:question", args=[question.pk])
    verify_session(client, cast.generalist)
    client.get(url)
    # As tests/consultation/test_query_budgets.py (10), and where it is on an agenda (1).
    with django_assert_num_queries(REQUEST_OVERHEAD + 11):
        client.get(url)


def test_the_coordinator_answers_an_urgent_question_in_writing(client, cast, team):
    """The coordinator is no expert: they read the pool's questions and may advise on them; the
    advice is signed as the coordinator's, and they are not listed as an expert on it."""
    question = ask_team(cast, team, urgency="urgent")
    session = _session(team, questions=[question])
    verify_session(client, team.coordinator)
    page = client.get(reverse("meetings:session", args=[session.pk]))
    assert "Schriftelijk beantwoorden" in page.content.decode()
    url = reverse("consultation:question", args=[question.pk])
    page = client.get(url)
    assert page.context["adviser_side"] and not page.context["expert_side"]
    assert reverse("consultation:pick-up", args=[question.pk]) not in page.content.decode()
    data = {
        "body": "Bel vandaag de verhuurder; schuldhulp is ingeseind.",
        "submission_token": new_token(),
    }
    assert client.post(reverse("consultation:advise", args=[question.pk]), data).status_code == 302
    advice = Message.objects.get(question=question, kind=Message.Kind.ADVICE)
    assert advice.author == team.coordinator
    assert advice.author_discipline == "coördinator van het expertiseteam"
    assert not question.experts.filter(expert=team.coordinator).exists()
    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    # Another pool's coordinator sees nothing of it.
    other = build_team_pool(cast).coordinator
    verify_session(client, other)
    assert client.get(url).status_code == 404
