"""The question and notification lists over the API: filters, marking read, and the browsable
API without the resident's identity."""

import pytest

from consultation import services
from consultation.models import Notification
from tests.api.helpers import assert_no_identity

pytestmark = pytest.mark.django_db


def test_filters_narrow_the_list(cast, api):
    urgent = cast.ask()
    normal = cast.ask(urgency="normal", title="Minder haast")
    client = api(cast.generalist)

    def ids(query):
        return {q["id"] for q in client.get(f"/api/v1/questions/{query}").json()["results"]}

    assert ids("") == {urgent.pk, normal.pk}
    assert ids("?urgency=urgent") == {urgent.pk}
    assert ids("?status=open&urgency=normal") == {normal.pk}
    assert ids("?status=closed") == set()


def test_notifications_are_marked_read_by_id(cast, api):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Een.")
    services.question_advise(actor=cast.second_expert, question=question, body="Twee.")
    client = api(cast.generalist)
    items = client.get("/api/v1/notifications/").json()["results"]
    assert len(items) == 2 and not any(n["is_read"] for n in items)
    response = client.post(
        "/api/v1/notifications/mark-read/", {"ids": [items[0]["id"]]}, format="json"
    )
    assert response.json() == {"marked": 1}
    assert len(client.get("/api/v1/notifications/?unread=1").json()["results"]) == 1
    # Someone else's notification is simply not theirs to mark.
    expert_note = Notification.objects.filter(recipient=cast.expert).first()
    if expert_note:
        response = client.post(
            "/api/v1/notifications/mark-read/", {"ids": [expert_note.pk]}, format="json"
        )
        assert response.json() == {"marked": 0}
    response = client.post("/api/v1/notifications/mark-read/", {"ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert "ids" in response.json()


@pytest.mark.parametrize("who", ["generalist", "expert"])
def test_the_browsable_api_renders_without_leaking(cast, api, who):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Advies.")
    client = api(getattr(cast, who))
    urls = [
        "/api/v1/questions/",
        f"/api/v1/questions/{question.pk}/",
        f"/api/v1/questions/{question.pk}/messages/",
        f"/api/v1/questions/{question.pk}/advise/",
        "/api/v1/notifications/",
        "/api/v1/cases/",
        "/api/v1/residents/",
    ]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 405), url
        assert response["Content-Type"].startswith("text/html")
        if who == "expert":
            assert_no_identity(response.content.decode())


def test_a_page_mixing_team_and_expert_questions_keeps_its_order_and_each_its_serializer(cast, api):
    """Someone in a team and in the expert pool gets their team's questions with the team
    serializer and other teams' with the expert one (no resident), in one order (newest first)."""
    from django.utils import timezone

    from consultation.models import Question
    from tests.wijkteam.factories import TeamMembershipFactory

    person = cast.expert
    TeamMembershipFactory(team=cast.other_case.team, user=person)
    elsewhere = [cast.ask(title=f"Van elders {n}", actor=cast.generalist) for n in range(3)]
    own_team = []
    for n in range(3):  # the person's own (other) team asks
        case = cast.other_case
        question = services.question_create(
            actor=cast.other_generalist,
            case=case,
            pool=cast.pool,
            data=services.QuestionInput(
                title=f"Van het eigen team {n}",
                situation="Huurachterstand.",
                tried="Gesprek.",
                question="Wat nu?",
                urgency="normal",
            ),
            life_domains=list(elsewhere[0].life_domains.all()),
        )
        own_team.append(services.question_submit(actor=cast.other_generalist, question=question))
    # Interleave the activity: the own team's and the others' questions take turns.
    now = timezone.now()
    order = [q for pair in zip(own_team, elsewhere, strict=True) for q in pair][::-1]
    for minutes, question in enumerate(order):
        Question.objects.filter(pk=question.pk).update(
            last_activity_at=now - timezone.timedelta(minutes=minutes)
        )
    results = api(person).get("/api/v1/questions/?page_size=4").json()["results"]
    assert [r["id"] for r in results] == [q.pk for q in order[:4]]
    for row in results:
        of_the_team = row["id"] in {q.pk for q in own_team}
        assert ("resident_id" in row) is of_the_team, row["title"]
