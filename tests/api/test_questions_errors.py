"""Questions over the API, what is refused: bad input is a 400 with field errors, a wrong
state is a 400 (never a 500), and the privacy guard holds for drafts and replies."""

import pytest

from consultation import services
from consultation.models import CloseOut, Message, Question, Status
from tests.api.helpers import draft_data
from tests.consultation.cast import CANARY_LAST

pytestmark = pytest.mark.django_db


def test_a_question_about_another_teams_case_is_refused(cast, api):
    response = api(cast.generalist).post(
        "/api/v1/questions/", draft_data(cast, case=cast.other_case.pseudonym), format="json"
    )
    assert response.status_code == 400
    assert "case" in response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"urgency": "whenever"}, "urgency"),
        ({"help_form": "carrier pigeon"}, "help_form"),
        ({"life_domains": [999999]}, "life_domains"),
        ({"pool": 999999}, "pool"),
        ({"case": "C-NOPE00"}, "case"),
    ],
)
def test_bad_question_input_is_a_400_with_field_errors(cast, api, change, field):
    response = api(cast.generalist).post(
        "/api/v1/questions/", draft_data(cast, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Question.objects.exists()


def test_a_missing_title_is_a_field_error(cast, api):
    draft = draft_data(cast)
    del draft["title"]
    response = api(cast.generalist).post("/api/v1/questions/", draft, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_a_pool_not_serving_the_team_is_a_field_error(cast, api):
    from tests.expertise.factories import ExpertPoolFactory

    stranger = ExpertPoolFactory(region=cast.org["region"])
    response = api(cast.generalist).post(
        "/api/v1/questions/", draft_data(cast, pool=stranger.pk), format="json"
    )
    assert response.status_code == 400
    assert "pool" in response.json()


def test_the_pool_must_be_chosen_when_two_serve_the_team(cast, api):
    draft = draft_data(cast)
    del draft["pool"]
    response = api(cast.generalist).post("/api/v1/questions/", draft, format="json")
    assert response.status_code == 400
    assert "pool" in response.json()
    cast.org["pool"].teams.remove(cast.org["team"])
    response = api(cast.generalist).post("/api/v1/questions/", draft, format="json")
    assert response.status_code == 201
    assert response.json()["pool"]["id"] == cast.pool.pk


def test_bad_close_out_is_a_400_and_keeps_the_question_open(cast, api):
    question = cast.ask()
    advice = services.question_advise(actor=cast.expert, question=question, body="Advies.")
    other_message = services.question_reply(actor=cast.generalist, question=question, body="x")
    client = api(cast.generalist)
    url = f"/api/v1/questions/{question.pk}/close/"
    good = {"direction": "confirmed", "escalation": "avoided"}
    cases = [
        ({**good, "ratings": {str(advice.pk): 7}}, "ratings"),
        ({**good, "ratings": {str(advice.pk): 0}}, "ratings"),
        ({**good, "ratings": {"first": 3}}, "ratings"),
        ({**good, "ratings": {str(other_message.pk): 3}}, "ratings"),  # not an advice
        ({**good, "ratings": [5]}, "ratings"),
        ({**good, "direction": "sideways"}, "direction"),
        ({"direction": "confirmed"}, "escalation"),
        ({**good, "comment": "x" * 3001}, "comment"),
    ]
    for body, field in cases:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED
    assert not CloseOut.objects.exists()


def test_malformed_json_is_a_400(cast, api):
    question = cast.ask()
    client = api(cast.generalist)
    for url in ("/api/v1/questions/", f"/api/v1/questions/{question.pk}/close/"):
        response = client.post(url, data="{not json", content_type="application/json")
        assert response.status_code == 400
        assert "detail" in response.json()
    response = client.get("/api/v1/questions/?status=sleeping")
    assert response.status_code == 400
    assert "status" in response.json()


def test_state_errors_are_400_not_500(cast, api):
    question = cast.ask()
    client = api(cast.generalist)
    # Submitting twice; closing a withdrawn question; reopening an open one.
    response = client.post(f"/api/v1/questions/{question.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert client.post(f"/api/v1/questions/{question.pk}/reopen/").status_code == 400
    assert client.post(f"/api/v1/questions/{question.pk}/withdraw/").status_code == 200
    response = client.post(
        f"/api/v1/questions/{question.pk}/withdraw/", {"reason": "nogmaals"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    response = client.post(
        f"/api/v1/questions/{question.pk}/close/",
        {"direction": "confirmed", "escalation": "avoided"},
        format="json",
    )
    assert response.status_code == 400
    response = api(cast.expert).post(f"/api/v1/questions/{question.pk}/pick-up/")
    assert response.status_code in (400, 404)  # withdrawn: no longer open to the expert
    response = client.post(f"/api/v1/questions/{question.pk}/reply/", {}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()


def test_privacy_confirmed_sends_anyway(cast, api):
    question = cast.ask(submit=False, question=f"Wat kan {CANARY_LAST} zelf doen?")
    client = api(cast.generalist)
    url = f"/api/v1/questions/{question.pk}/submit/"
    assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {"privacy_confirmed": True}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "open"


def test_the_reply_passes_the_privacy_guard(cast, api):
    question = cast.ask()
    services.question_request_clarification(actor=cast.expert, question=question, body="Wie?")
    client = api(cast.generalist)
    url = f"/api/v1/questions/{question.pk}/reply/"
    response = client.post(url, {"body": "Bel haar op 06-12345678."}, format="json")
    assert response.status_code == 400
    assert response.json()["privacy"]["body"][0]["kind"] == "phone"
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()
