"""The sessions pages: the list (paginated, a fixed number of queries), a session's page only
for those who see the session, and the invitee's answer."""

import pytest
from django.urls import reverse

from meetings.models import Invitation
from meetings.services.planning import session_plan
from tests.helpers import verify_session
from tests.meetings.helpers import ask_team, build_team_pool, moment

pytestmark = pytest.mark.django_db
REQUEST_OVERHEAD = 2  # the user and the OTP device (tests/triage/test_query_budget.py)


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_reads_a_fixed_number_of_queries(
    client, cast, team, rows, django_assert_num_queries
):
    for day in range(rows):
        session_plan(
            planner=team.coordinator,
            pool=team.pool,
            data=moment(days=day + 1),
            experts=team.experts,
        )
    verify_session(client, team.coordinator)
    client.get(reverse("meetings:home"))
    # Upcoming and earlier, each one query with its counts and pool; whether the user plans (1);
    # the team pools a coordinator keeps, with their recurring meetings (1).
    with django_assert_num_queries(REQUEST_OVERHEAD + 4):
        response = client.get(reverse("meetings:home"))
    assert len(response.context["upcoming"]) == min(rows, 25)


def test_a_session_page_for_its_invitees_only(client, cast, team):
    question = ask_team(cast, team, title="Zorgen om schooluitval")
    session = session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(),
        questions=[question] if not question.agenda_items.exists() else [],
        experts=team.experts,
    )
    url = reverse("meetings:session", args=[session.pk])
    verify_session(client, cast.foreign_expert)
    assert client.get(url).status_code == 404
    verify_session(client, cast.generalist)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zorgen om schooluitval" in html or not question.agenda_items.filter(session=session)
    for canary in ("Xandrilla", "Quorvenhoek"):
        assert canary not in html
    invitation = Invitation.objects.get(session=session, user=cast.generalist)
    response = client.post(reverse("meetings:respond", args=[invitation.pk]), {"response": "x"})
    assert response.status_code == 302
    client.post(reverse("meetings:respond", args=[invitation.pk]), {"response": "accepted"})
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.ACCEPTED
    # Someone else's invitation is a 404, and changes nothing.
    other = Invitation.objects.filter(session=session, user=team.experts[0]).get()
    assert (
        client.post(
            reverse("meetings:respond", args=[other.pk]), {"response": "accepted"}
        ).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.response == Invitation.Response.PENDING
