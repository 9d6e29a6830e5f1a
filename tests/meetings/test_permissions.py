"""Permission matrix of the sessions' pages: who sees a team pool's session in the list and on
its page, who reads its agenda, and who may keep it (a write: move). Out of sight is a 404 (the
selector), seen but not planned a 403."""

import pytest
from django.urls import reverse

from meetings.services.planning import session_plan
from submissions.web import new_token
from tests.helpers import verify_session
from tests.meetings.helpers import ask_team, build_team_pool, moment

pytestmark = pytest.mark.django_db

# actor: (in the list, page status, reads the agenda's question, move status)
MATRIX = {
    "coordinator": (True, 200, True, 302),
    "other_coordinator": (False, 404, False, 404),
    "team_expert": (True, 200, True, 403),  # of the team pool, not invited: sees, keeps nothing
    "invited_expert": (True, 200, True, 403),  # of another pool, invited
    "network_expert": (False, 404, False, 404),
    "generalist": (True, 200, True, 403),  # asked the question on the agenda: invited
    "other_generalist": (False, 404, False, 404),
    "triage": (False, 404, False, 404),  # triage of another pool
    "municipality_admin": (False, 404, False, 404),
}


@pytest.fixture
def world(cast):
    team = build_team_pool(cast)
    question = ask_team(cast, team, title="Zorgen om schooluitval")
    session = session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(),
        questions=[question],
        experts=[team.experts[0], cast.unmatched_expert],
    )
    people = {
        "coordinator": team.coordinator,
        "other_coordinator": build_team_pool(cast).coordinator,
        "team_expert": team.experts[1],
        "invited_expert": cast.unmatched_expert,
        "network_expert": cast.second_expert,
        "generalist": cast.generalist,
        "other_generalist": cast.other_generalist,
        "triage": cast.triage,
        "municipality_admin": cast.municipality_admin,
    }
    return session, question, people


@pytest.mark.parametrize("actor", list(MATRIX))
def test_the_sessions_permission_matrix(client, world, actor):
    session, question, people = world
    listed, status, reads, move = MATRIX[actor]
    verify_session(client, people[actor])
    home = client.get(reverse("meetings:home"))
    assert home.status_code == 200
    assert (session in list(home.context["upcoming"])) == listed
    page = client.get(reverse("meetings:session", args=[session.pk]))
    assert page.status_code == status
    if status == 200:
        agenda = [item.question_id for item in page.context["agenda"]]
        assert (question.pk in agenda) == reads
        assert ("Xandrilla" in page.content.decode()) is False
    data = {
        "date": moment(days=9).starts_at.date().isoformat(),
        "start": "10:00",
        "end": "11:00",
        "place": "Elders",
        "capacity": "4",
        "submission_token": new_token(),
    }
    assert client.post(reverse("meetings:move", args=[session.pk]), data).status_code == move
    session.refresh_from_db()
    assert session.sequence == (1 if move == 302 else 0)
