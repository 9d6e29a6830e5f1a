"""Questions over the API: the whole journey for the team, advice from matching experts of a
network pool, and the resident kept out of everything an expert receives (DESIGN §3, §4)."""

import pytest
from django.utils import translation

from consultation import services
from consultation.models import CloseOut, Message, Notification, Question, Status
from expertise.models import LifeDomain, TargetGroup
from tests.consultation.cast import CANARY_LAST, CANARY_STRINGS
from wijkteam.models import age_band_label

pytestmark = pytest.mark.django_db

RESIDENT_FIELDS = {
    "resident",
    "resident_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "postcode",
}


def _draft(cast, **changes):
    return {
        "case": cast.case.pseudonym,
        "pool": cast.pool.pk,
        "title": "Dreigende huisuitzetting",
        "situation": "Huurachterstand van vier maanden; post blijft liggen.",
        "tried": "Samen de post geopend.",
        "question": "Hoe voorkomen we een ontruiming?",
        "life_domains": [LifeDomain.objects.get(slug="financien").pk],
        "target_groups": [TargetGroup.objects.get(slug="schulden").pk],
        "urgency": "urgent",
        "help_form": "phone",
        **changes,
    }


def _assert_no_identity(text: str):
    for canary in CANARY_STRINGS:
        assert canary not in text, canary


def test_a_generalist_does_the_whole_journey_over_the_api(cast, api, token_client):
    team = token_client(cast.generalist)

    # A draft; the privacy guard catches the resident's name on submit.
    response = team.post(
        "/api/v1/questions/",
        _draft(cast, situation=f"Mevrouw {CANARY_LAST} heeft huurachterstand."),
        format="json",
    )
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
    response = client.post("/api/v1/questions/", _draft(cast), format="json")
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
        _assert_no_identity(response.content.decode())
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
    _assert_no_identity(body)


def test_a_question_about_another_teams_case_is_refused(cast, api):
    response = api(cast.generalist).post(
        "/api/v1/questions/", _draft(cast, case=cast.other_case.pseudonym), format="json"
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
        "/api/v1/questions/", _draft(cast, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Question.objects.exists()


def test_a_missing_title_is_a_field_error(cast, api):
    draft = _draft(cast)
    del draft["title"]
    response = api(cast.generalist).post("/api/v1/questions/", draft, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_a_pool_not_serving_the_team_is_a_field_error(cast, api):
    from tests.expertise.factories import ExpertPoolFactory

    stranger = ExpertPoolFactory(region=cast.org["region"])
    response = api(cast.generalist).post(
        "/api/v1/questions/", _draft(cast, pool=stranger.pk), format="json"
    )
    assert response.status_code == 400
    assert "pool" in response.json()


def test_the_pool_must_be_chosen_when_two_serve_the_team(cast, api):
    draft = _draft(cast)
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


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("who", ["generalist", "expert"])
def test_the_question_list_has_a_fixed_number_of_queries(
    cast, api, who, rows, django_assert_num_queries
):
    client = api(getattr(cast, who))
    for _ in range(rows):
        cast.ask()
    client.get("/api/v1/questions/")  # warm up: content types, translations
    # 1-3 session, user, OTP device · 4 count · 5 the page of questions (with pool, asker, case
    # and the case profile annotations) · 6-8 life domains, target groups, experts (prefetch)
    # · 9 the caller's team ids (serializer choice) · 10-12 session save (idle timeout), in a
    # savepoint because the test runs inside a transaction
    with django_assert_num_queries(12):
        response = client.get("/api/v1/questions/")
    assert len(response.json()["results"]) == rows


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
            _assert_no_identity(response.content.decode())
