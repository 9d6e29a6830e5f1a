"""Questions over the API: the whole journey for the team, advice from matching experts of a
network pool, and the resident kept out of everything an expert receives (DESIGN §3, §4)."""

import pytest
from django.utils import translation

from consultation import services
from consultation.models import CloseOut, Question, Status
from tests.api.helpers import RESIDENT_FIELDS, assert_no_identity, draft_data
from tests.consultation.cast import CANARY_LAST
from wijkteam.models import age_band_label

pytestmark = pytest.mark.django_db


def test_a_generalist_does_the_whole_journey_over_the_api(cast, api, token_client):
    team = token_client(cast.generalist)

    # The privacy guard catches the resident's name before anything is stored; the generalist
    # confirms it for the draft, and is asked again on submit.
    leaky = draft_data(cast, situation=f"Mevrouw {CANARY_LAST} heeft huurachterstand.")
    response = team.post("/api/v1/questions/", leaky, format="json")
    assert response.status_code == 400
    assert response.json()["privacy"]["situation"][0]["text"] == CANARY_LAST
    assert not Question.objects.exists()
    response = team.post("/api/v1/questions/", {**leaky, "privacy_confirmed": True}, format="json")
    assert response.status_code == 201, response.json()
    draft = response.json()
    assert draft["status"] == "draft"
    assert draft["case"] == cast.case.pseudonym
    assert draft["resident_id"] == cast.resident.pk  # the team's own serializer
    assert draft["age_band"] and draft["household"]
    qid = draft["id"]

    response = team.post(f"/api/v1/questions/{qid}/submit/", {}, format="json")
    assert response.status_code == 400
    privacy = response.json()["privacy"]
    assert privacy["situation"][0]["kind"] == "name"
    assert privacy["situation"][0]["label"]
    assert privacy["situation"][0]["text"] == CANARY_LAST  # echoed to the team only
    assert Question.objects.get(pk=qid).status == Status.DRAFT

    # The generalist fixes the text (PATCH a draft) and submits: open to the network pool.
    response = team.patch(
        f"/api/v1/questions/{qid}/",
        {"situation": "Mevrouw heeft huurachterstand."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Dreigende huisuitzetting"
    assert [d["name"] for d in response.json()["life_domains"]] == ["Financiën"]
    response = team.post(f"/api/v1/questions/{qid}/submit/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "open"
    assert team.patch(f"/api/v1/questions/{qid}/", {"title": "x"}, format="json").status_code == 400

    # Two experts advise; one asks for clarification first.
    expert, second = api(cast.expert), api(cast.second_expert)
    assert expert.post(f"/api/v1/questions/{qid}/pick-up/").status_code == 200
    response = expert.post(
        f"/api/v1/questions/{qid}/request-clarification/",
        {"body": "Is er al contact met de verhuurder?"},
        format="json",
    )
    assert response.status_code == 201
    assert Question.objects.get(pk=qid).status == Status.NEEDS_CLARIFICATION
    response = team.post(
        f"/api/v1/questions/{qid}/reply/", {"body": "Ja, vorige week."}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "reply"
    assert Question.objects.get(pk=qid).status == Status.OPEN

    response = expert.post(
        f"/api/v1/questions/{qid}/advise/",
        {"body": "Vraag een betalingsregeling aan."},
        format="json",
    )
    assert response.status_code == 201
    advice_1 = response.json()["id"]
    assert response.json()["author_discipline"] == "schuldhulpverlener"
    response = second.post(
        f"/api/v1/questions/{qid}/advise/", {"body": "Meld aan bij de VTA."}, format="json"
    )
    advice_2 = response.json()["id"]
    detail = team.get(f"/api/v1/questions/{qid}/").json()
    assert detail["status"] == "answered"
    assert [e["discipline"] for e in detail["experts"]] == [
        "schuldhulpverlener",
        "budgetcoach",
    ]

    messages = team.get(f"/api/v1/questions/{qid}/messages/").json()["results"]
    assert [m["kind"] for m in messages] == ["clarification_request", "reply", "advice", "advice"]

    # The generalist sees the news, and closes with feedback.
    notifications = team.get("/api/v1/notifications/?unread=true").json()["results"]
    assert {n["kind"] for n in notifications} >= {"new_advice", "clarification_requested"}
    assert {n["case"] for n in notifications} == {cast.case.pseudonym}
    response = team.post(
        f"/api/v1/questions/{qid}/close/",
        {
            "direction": "new_direction",
            "escalation": "avoided",
            "comment": "Heel bruikbaar.",
            "ratings": {str(advice_1): 5, str(advice_2): 4},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    close_out = CloseOut.objects.get(question_id=qid)
    assert {r.message_id: r.usefulness for r in close_out.ratings.all()} == {
        advice_1: 5,
        advice_2: 4,
    }
    response = team.post(f"/api/v1/questions/{qid}/reopen/", {"reason": "Nieuwe brief"})
    assert response.json()["status"] == "answered"
    response = team.post("/api/v1/notifications/mark-read/", {}, format="json")
    assert response.status_code == 200 and response.json()["marked"] >= 2
    assert team.get("/api/v1/notifications/?unread=true").json()["results"] == []


def test_the_team_lead_sees_and_closes_the_teams_questions(cast, api):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Advies.")
    lead = api(cast.team_lead)
    assert [q["id"] for q in lead.get("/api/v1/questions/").json()["results"]] == [question.pk]
    response = lead.post(
        f"/api/v1/questions/{question.pk}/close/",
        {"direction": "confirmed", "escalation": "not_considered"},
        format="json",
    )
    assert response.status_code == 200


def test_an_expert_sees_only_matching_questions(cast, api):
    question = cast.ask()
    draft = cast.ask(submit=False, title="Nog een concept")
    for who in ("expert", "second_expert"):
        client = api(getattr(cast, who))
        assert [q["id"] for q in client.get("/api/v1/questions/").json()["results"]] == [
            question.pk
        ]
        assert client.get(f"/api/v1/questions/{draft.pk}/").status_code == 404
    unmatched = api(cast.unmatched_expert)
    assert unmatched.get("/api/v1/questions/").json()["results"] == []
    assert unmatched.get(f"/api/v1/questions/{question.pk}/").status_code == 404
    assert unmatched.post(f"/api/v1/questions/{question.pk}/pick-up/").status_code == 404
    response = unmatched.post(
        f"/api/v1/questions/{question.pk}/advise/", {"body": "x"}, format="json"
    )
    assert response.status_code == 404


def test_an_expert_advises_but_never_closes_or_edits(cast, api):
    question = cast.ask()
    client = api(cast.expert)
    response = client.post(f"/api/v1/questions/{question.pk}/pick-up/")
    assert response.status_code == 200
    assert [e["expert"]["id"] for e in response.json()["experts"]] == [cast.expert.pk]
    advice = client.post(
        f"/api/v1/questions/{question.pk}/advise/", {"body": "Advies."}, format="json"
    ).json()
    close = {"direction": "confirmed", "escalation": "avoided", "ratings": {advice["id"]: 5}}
    for action, body in [
        ("close", close),
        ("withdraw", {}),
        ("reopen", {}),
        ("reply", {"body": "x"}),
        ("submit", {}),
    ]:
        response = client.post(f"/api/v1/questions/{question.pk}/{action}/", body, format="json")
        assert response.status_code == 403, action
    response = client.patch(f"/api/v1/questions/{question.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).status == Status.ANSWERED
    # Asking for a draft as an expert: there is no team to ask for.
    response = client.post("/api/v1/questions/", draft_data(cast), format="json")
    assert response.status_code == 403


def test_an_experts_json_never_names_the_resident(cast, api):
    question = cast.ask()
    services.question_advise(actor=cast.expert, question=question, body="Advies.")
    services.question_reply(actor=cast.generalist, question=question, body="Dank je.")
    client = api(cast.expert)
    responses = [
        client.get("/api/v1/questions/"),
        client.get(f"/api/v1/questions/{question.pk}/"),
        client.get(f"/api/v1/questions/{question.pk}/messages/"),
        client.get("/api/v1/notifications/"),
        client.get("/api/v1/questions/?status=answered&urgency=urgent"),
        client.post(f"/api/v1/questions/{question.pk}/pick-up/"),
        client.get("/api/v1/residents/"),
        client.get("/api/v1/cases/"),
    ]
    for response in responses:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert_no_identity(response.content.decode())
    detail = responses[1].json()
    assert not RESIDENT_FIELDS & set(detail)
    assert detail["case"] == cast.case.pseudonym
    with translation.override("nl"):
        assert detail["age_band"] == age_band_label(cast.resident.age_on())
    assert detail["household"]
    item = responses[0].json()["results"][0]
    assert not RESIDENT_FIELDS & set(item)
    assert responses[3].json()["results"][0]["case"] == cast.case.pseudonym


@pytest.mark.parametrize("who", ["triage", "municipality_admin", "other_generalist"])
def test_others_see_no_question_at_all(cast, api, who):
    question = cast.ask()
    client = api(getattr(cast, who))
    assert client.get("/api/v1/questions/").json()["results"] == []
    assert client.get("/api/v1/notifications/").json()["results"] == []
    urls = [f"/api/v1/questions/{question.pk}/", f"/api/v1/questions/{question.pk}/messages/"]
    for url in urls:
        assert client.get(url).status_code == 404
    for action in ("pick-up", "advise", "close", "withdraw", "reply", "submit"):
        response = client.post(f"/api/v1/questions/{question.pk}/{action}/", {"body": "x"})
        assert response.status_code == 404, action
    assert client.patch(f"/api/v1/questions/{question.pk}/", {"title": "x"}).status_code == 404
    body = client.get("/api/v1/questions/").content.decode()
    assert_no_identity(body)
