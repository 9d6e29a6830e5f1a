"""The planning pages: plan a session (the pool's coordinator or triage worker), move, cancel,
hold; each with its happy path, bad input (400 with the form's errors, nothing stored), who may
not (403 for someone who sees the session but does not plan it, 404 for another pool's
coordinator), and a double submit that plans once."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.models import Status
from meetings.models import AgendaItem, Invitation, Session
from meetings.selectors import proposals
from meetings.services.planning import session_plan
from submissions.web import new_token
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session
from tests.meetings.helpers import ask_in, ask_team, build_team_pool, moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def other_coordinator(cast):
    """The coordinator of another team pool of the same region."""
    return build_team_pool(cast).coordinator


def _next_weekday(days=7):
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _plan_data(team, chosen, /, **fields):
    data = {
        "experts": [str(u.pk) for u in team.experts],
        "questions": [str(q.pk) for q in chosen],
        "date": _next_weekday().isoformat(),
        "start": "13:00",
        "end": "15:00",
        "place": "Stadhuis, zaal 2",
        "video_link": "",
        "capacity": "4",
        "submission_token": new_token(),
    }
    for question, minutes in zip(chosen, (30, 25, 20, 15), strict=False):
        data[f"minutes_{question.pk}"] = str(minutes)
    data.update(fields)
    return data


def _plan_url(team):
    return reverse("meetings:plan", args=[team.pool.pk])


def test_a_coordinator_plans_a_session_with_questions_slots_and_experts(client, cast, team):
    first = ask_team(cast, team, title="Zorgen om schooluitval")
    second = ask_team(cast, team, title="Schulden en dreigende ontruiming", urgency="normal")
    verify_session(client, team.coordinator)
    start = client.get(reverse("meetings:plan-start"))
    assert start.status_code == 302 and start.url == _plan_url(team)  # one pool: straight there
    page = client.get(_plan_url(team))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zorgen om schooluitval" in html and "Schulden en dreigende ontruiming" in html
    assert "jeugdarts" in html  # the discipline beside the name
    assert "worden vanzelf uitgenodigd" in html  # the asking generalists, said so
    assert "Voorgestelde momenten" in html
    # A team pool's session invites its own experts unless the planner unticks them.
    assert set(page.context["form"].initial["experts"]) == {str(u.pk) for u in team.experts}
    for canary in ("Xandrilla", "Quorvenhoek"):
        assert canary not in html

    response = client.post(_plan_url(team), _plan_data(team, [first, second]))
    session = Session.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "meetings:session", args=[session.pk]
    )
    local = timezone.localtime(session.starts_at)
    assert (local.date(), local.hour, session.place) == (_next_weekday(), 13, "Stadhuis, zaal 2")
    minutes = dict(AgendaItem.objects.filter(session=session).values_list("question", "minutes"))
    assert minutes == {first.pk: 30, second.pk: 25}
    invited = dict(Invitation.objects.filter(session=session).values_list("user", "role"))
    assert invited == {**{u.pk: "expert" for u in team.experts}, cast.generalist.pk: "generalist"}
    assert session.planned_by == team.coordinator


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"end": "12:00"}, "end"),
        ({"date": "2020-01-06"}, "date"),
        ({"date": "morgen"}, "date"),
        ({"start": "25:99"}, "start"),
        ({"place": "", "video_link": ""}, "place"),
        ({"video_link": "javascript:alert(1)"}, "video_link"),
        ({"capacity": "1"}, "questions"),  # two questions on an agenda of one
        ({"end": "13:30"}, "questions"),  # 55 minutes of slots in a 30-minute session
        ({"capacity": "0"}, "capacity"),
        ({"experts": ["999999"]}, "experts"),
        ({"questions": ["999999"]}, "questions"),
    ],
)
def test_bad_input_shows_the_form_again_with_errors(client, cast, team, fields, field):
    questions = [ask_team(cast, team), ask_team(cast, team, title="Tweede")]
    verify_session(client, team.coordinator)
    response = client.post(_plan_url(team), _plan_data(team, questions, **fields))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode() or field == "questions"
    assert not Session.objects.exists()


def test_a_slot_that_is_not_a_number_is_an_error_on_that_slot(client, cast, team):
    question = ask_team(cast, team)
    verify_session(client, team.coordinator)
    data = _plan_data(team, [question], **{f"minutes_{question.pk}": "lang"})
    response = client.post(_plan_url(team), data)
    assert response.status_code == 400
    assert f"minutes_{question.pk}" in response.context["form"].errors
    assert not Session.objects.exists()


def test_a_double_submit_plans_one_session(client, cast, team):
    question = ask_team(cast, team)
    verify_session(client, team.coordinator)
    data = _plan_data(team, [question])
    first = client.post(_plan_url(team), data)
    second = client.post(_plan_url(team), data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Session.objects.count() == 1


def test_using_a_proposal_fills_in_the_moment_and_keeps_the_choices(client, cast, team):
    question = ask_team(cast, team)
    verify_session(client, team.coordinator)
    proposal = proposals(experts=team.experts, after=timezone.now())[1]
    data = _plan_data(team, [question], use=proposal.value, experts=[str(team.experts[0].pk)])
    response = client.post(_plan_url(team), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["date"] == timezone.localtime(proposal.starts_at).date().isoformat()
    assert form.initial["experts"] == [str(team.experts[0].pk)]
    assert form.initial["questions"] == [str(question.pk)]
    assert response.context["panel"]["chosen_count"] == 1
    assert not Session.objects.exists()


def test_proposals_fall_back_to_weekday_afternoons():
    friday = timezone.make_aware(datetime(2026, 3, 6, 9, 0))
    found = proposals(experts=[], after=friday, count=3)
    days = [timezone.localtime(p.starts_at).date().isoformat() for p in found]
    assert days == ["2026-03-09", "2026-03-10", "2026-03-11"]  # Monday to Wednesday
    assert all(timezone.localtime(p.starts_at).hour == 13 for p in found)
    assert all(p.cannot_come == () for p in found)


def test_who_may_plan(client, cast, team, other_coordinator):
    ask_team(cast, team)
    url = _plan_url(team)
    # Someone who plans for no pool: the planning page does not exist for them (404).
    for person in (team.experts[0], cast.generalist):
        verify_session(client, person)
        assert client.get(reverse("meetings:plan-start")).status_code == 404
        assert client.get(url).status_code == 404
    # Another pool's coordinator: this pool is out of their sight (404), also for a POST.
    verify_session(client, other_coordinator)
    assert client.get(url).status_code == 404
    assert client.post(url, _plan_data(team, [])).status_code == 404
    assert not Session.objects.exists()


def test_triage_plans_from_the_question_it_marked(client, cast):
    """A question triage marked "Overleg plannen": its page links to the planning form with the
    question ticked; the experts offered are those of the region's pools."""
    from triage.services import triage_claim, triage_plan_session

    pool = cast.org["pool"]
    question = ask_in(cast, pool, title="Drie disciplines nodig")
    triage_claim(worker=cast.triage, question=question)
    triage_plan_session(worker=cast.triage, question=question, reason="GGZ, schulden en jeugd")
    verify_session(client, cast.triage)
    triage_page = client.get(reverse("triage:question", args=[question.pk]))
    link = f"{reverse('meetings:plan-start')}?vraag={question.pk}"
    assert link in triage_page.content.decode()
    response = client.get(link)
    assert response.status_code == 302
    assert response.url == f"{reverse('meetings:plan', args=[pool.pk])}?vraag={question.pk}"
    page = client.get(response.url)
    assert page.context["form"].initial["questions"] == [str(question.pk)]
    assert page.context["form"].initial["experts"] == []  # a triage pool: the worker chooses
    offered = {int(pk) for pk, _label in page.context["form"].fields["experts"].choices}
    assert {cast.expert.pk, cast.unmatched_expert.pk} <= offered  # the network pool's, same region
    data = {
        "experts": [str(cast.expert.pk), str(cast.unmatched_expert.pk)],
        "questions": [str(question.pk)],
        f"minutes_{question.pk}": "45",
        "date": _next_weekday().isoformat(),
        "start": "09:30",
        "end": "11:00",
        "video_link": "https://meet.example.nl/mdo",
        "capacity": "3",
    }
    assert client.post(response.url, data).status_code == 302
    item = AgendaItem.objects.get(question=question)
    assert item.minutes == 45 and item.session.video_link == "https://meet.example.nl/mdo"


# --- Move, cancel, hold -----------------------------------------------------------------------
@pytest.fixture
def planned(cast, team):
    question = ask_team(cast, team)
    return session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(days=7),
        questions=[question] if not question.agenda_items.exists() else [],
        experts=team.experts,
    )


def _moment_data(**fields):
    data = {
        "date": _next_weekday(9).isoformat(),
        "start": "10:00",
        "end": "11:30",
        "place": "Wijkcentrum De Kruisweg",
        "video_link": "",
        "capacity": "4",
        "submission_token": new_token(),
    }
    data.update(fields)
    return data


def test_moving_a_session(client, team, planned):
    url = reverse("meetings:move", args=[planned.pk])
    verify_session(client, team.coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["place"] == "Stadhuis, zaal 2"
    bad = client.post(url, _moment_data(start="12:00"))
    assert bad.status_code == 400 and "end" in bad.context["form"].errors
    planned.refresh_from_db()
    assert planned.sequence == 0
    data = _moment_data()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same submit again: moved once
    planned.refresh_from_db()
    assert planned.sequence == 1
    assert planned.place == "Wijkcentrum De Kruisweg"
    assert timezone.localtime(planned.starts_at).hour == 10


def test_cancelling_asks_first(client, cast, team, planned):
    url = reverse("meetings:cancel", args=[planned.pk])
    verify_session(client, team.coordinator)
    page = client.get(url)
    assert page.status_code == 200 and "Ja, annuleer het overleg" in page.content.decode()
    assert client.post(url, {"submission_token": new_token()}).status_code == 302
    planned.refresh_from_db()
    assert planned.status == Session.Status.CANCELLED
    # Its question waits for the next session again.
    assert not AgendaItem.objects.filter(status=AgendaItem.Status.ON_AGENDA).exists()
    assert cast.generalist  # (the generalist keeps the session in their list, as cancelled)


def test_holding_a_session_once_it_started(client, team, planned):
    url = reverse("meetings:hold", args=[planned.pk])
    verify_session(client, team.coordinator)
    response = client.post(url, {"submission_token": new_token()}, follow=True)
    assert "Het overleg is nog niet begonnen." in response.content.decode()
    Session.objects.filter(pk=planned.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    client.post(url, {"submission_token": new_token()})
    planned.refresh_from_db()
    assert planned.status == Session.Status.HELD


@pytest.mark.parametrize("name", ["move", "cancel", "hold"])
def test_only_planners_move_cancel_or_hold(client, cast, team, planned, other_coordinator, name):
    url = reverse(f"meetings:{name}", args=[planned.pk])
    data = _moment_data()
    # An invited expert sees the session but does not plan it: 403.
    verify_session(client, team.experts[0])
    assert client.post(url, data).status_code == 403
    if name != "hold":
        assert client.get(url).status_code == 403
    # The invited generalist too.
    verify_session(client, cast.generalist)
    assert client.post(url, data).status_code == 403
    # Another pool's coordinator, and someone with no part in it: not found.
    for person in (other_coordinator, UserFactory()):
        verify_session(client, person)
        assert client.post(url, data).status_code == 404
    planned.refresh_from_db()
    assert (planned.status, planned.sequence) == (Session.Status.PLANNED, 0)


def test_a_question_on_the_agenda_is_readable_by_the_coordinator(cast, team, planned):
    """The coordinator keeps the agenda: they read its questions (pseudonym only), through the
    one chokepoint."""
    from consultation.selectors import questions_visible_to

    question = AgendaItem.objects.get(session=planned).question
    assert question.status == Status.SCHEDULED
    assert questions_visible_to(user=team.coordinator).filter(pk=question.pk).exists()
