"""Triage over the API: the queue of the worker's own pools (paged, a fixed number of queries),
claims, and each decision's happy path and an error path, through the triage services. A
question of another pool is a 404 for its worker, and the resident never shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.pagination import PAGE_SIZE
from consultation.models import Message, Question, Status
from expertise.models import ExpertPool
from tests.expertise.factories import ExpertPoolFactory
from tests.triage.factories import CANARY, build_cast
from triage import services
from triage.models import TriageClaim, TriageDecision

pytestmark = pytest.mark.django_db

KEY = "Idempotency-Key"
QUEUE = "/api/v1/triage/questions/"


@pytest.fixture
def tri(org, make_user):
    return build_cast(org, make_user)


def _no_canary(response):
    text = response.content.decode()
    for secret in CANARY:
        assert secret not in text, secret


def _at(question, action=""):
    return f"{QUEUE}{question.pk}/{action + '/' if action else ''}"


def _claimed(tri, **fields):
    question = tri.ask(**fields)
    services.triage_claim(worker=tri.worker, question=question)
    return question


# --- Scope ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("worker", True),
        ("second_worker", True),
        ("other_worker", False),
        ("generalist", False),
        ("expert", False),
        ("foreign_expert", False),
    ],
)
def test_the_queue_and_a_question_only_for_the_pools_workers(tri, api, who, sees):
    question = tri.ask()
    client = api(getattr(tri, who))
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert [q["id"] for q in queue.json()["results"]] == ([question.pk] if sees else [])
    detail = client.get(_at(question))
    assert detail.status_code == (200 if sees else 404)
    for response in (queue, detail):
        _no_canary(response)
    if sees:
        body = detail.json()
        assert body["case"] == tri.case.pseudonym and body["claim"] is None
        assert body["triage_clock"]["state"] == "on_time"
        assert not {"resident", "resident_id", "first_name", "last_name"} & set(body)


ACTIONS = [
    ("claim", {}),
    ("release", {}),
    ("answer", {"body": "Bel de schuldhulp."}),
    ("ask-clarification", {"body": "Hoe oud zijn de kinderen?"}),
    ("sharpen", {"title": "Ontruiming", "summary": "Huurachterstand."}),
    ("assign", {"experts": []}),
    ("plan-session", {"reason": "Drie disciplines."}),
    ("redirect", {"target": "regular_care", "note": "Voorliggend veld."}),
]


@pytest.mark.parametrize(("action", "data"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_a_worker_of_another_pool_gets_a_404_on_every_action(tri, api, action, data):
    question = _claimed(tri)
    response = api(tri.other_worker).post(_at(question, action), data, format="json")
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == Status.IN_TRIAGE
    assert TriageClaim.objects.get(question=question).worker == tri.worker
    assert not TriageDecision.objects.exists()
    for path in (_at(question, "suggestions"), _at(question, "redirect-pools")):
        assert api(tri.other_worker).get(path).status_code == 404


# --- Claims --------------------------------------------------------------------------------------
def test_claim_release_and_claim_next(tri, api):
    urgent = tri.ask(urgency=Question.Urgency.URGENT, title="Spoed")
    normal = tri.ask(title="Gewoon")
    client, second = api(tri.worker), api(tri.second_worker)

    claimed = client.post(_at(normal, "claim"))
    assert claimed.status_code == 200
    assert claimed.json()["claim"]["mine"] is True
    assert claimed.json()["claim"]["worker"]["id"] == tri.worker.pk
    # Someone else's live claim wins: a 400 with the reason.
    taken = second.post(_at(normal, "claim"))
    assert taken.status_code == 400 and "non_field_errors" in taken.json()
    assert second.get(_at(normal)).json()["claim"]["mine"] is False
    assert [q["id"] for q in client.get(f"{QUEUE}?list=mine").json()["results"]] == [normal.pk]

    released = client.post(_at(normal, "release"))
    assert released.status_code == 200 and released.json()["claim"] is None

    # The next one: the urgent question first; then the other; then the queue is empty.
    assert second.post(f"{QUEUE}claim-next/").json()["id"] == urgent.pk
    assert second.post(f"{QUEUE}claim-next/").json()["id"] == normal.pk
    empty = second.post(f"{QUEUE}claim-next/")
    assert empty.status_code == 404
    assert "detail" in empty.json()


def test_a_retried_claim_next_claims_one_question(tri, api):
    first_question, second_question = tri.ask(title="Een"), tri.ask(title="Twee")
    client = api(tri.worker)
    answers = [client.post(f"{QUEUE}claim-next/", headers={KEY: "next-1"}) for _ in range(2)]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert answers[1].headers.get("Idempotent-Replayed") == "true"
    assert TriageClaim.objects.filter(worker=tri.worker).count() == 1
    assert {first_question.pk, second_question.pk} >= {answers[0].json()["id"]}


# --- Each decision: the happy path and an error path ---------------------------------------------
def test_answer(tri, api):
    question = tri.ask()
    client = api(tri.worker)
    unclaimed = client.post(_at(question, "answer"), {"body": "Advies."}, format="json")
    assert unclaimed.status_code == 400
    assert "non_field_errors" in unclaimed.json()  # claim it first
    services.triage_claim(worker=tri.worker, question=question)
    assert client.post(_at(question, "answer"), {}, format="json").json().keys() == {"body"}

    answered = client.post(
        _at(question, "answer"), {"body": "Bel de schuldhulp vandaag."}, format="json"
    )

    assert answered.status_code == 201, answered.json()
    assert answered.json()["kind"] == Message.Kind.ADVICE
    question.refresh_from_db()
    assert question.status == Status.ANSWERED
    assert TriageDecision.objects.get(question=question).kind == TriageDecision.Kind.ANSWER
    assert client.get(_at(question)).json()["claim"] is None  # it left the worker's hands


def test_a_retried_answer_answers_once(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    path, body = _at(question, "answer"), {"body": "Bel de schuldhulp."}
    answers = [client.post(path, body, format="json", headers={KEY: "answer-1"}) for _ in "ab"]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Message.objects.filter(question=question, kind=Message.Kind.ADVICE).count() == 1
    assert TriageDecision.objects.filter(question=question).count() == 1


def test_ask_clarification(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    blank = client.post(_at(question, "ask-clarification"), {"body": "  "}, format="json")
    assert blank.status_code == 400 and set(blank.json()) == {"body"}
    asked = client.post(
        _at(question, "ask-clarification"), {"body": "Hoe oud zijn de kinderen?"}, format="json"
    )
    assert asked.status_code == 201
    assert asked.json()["kind"] == Message.Kind.CLARIFICATION_REQUEST
    question.refresh_from_db()
    assert question.status == Status.NEEDS_CLARIFICATION
    # It left triage: a second decision is a 400, not a 500.
    again = client.post(_at(question, "answer"), {"body": "Toch maar."}, format="json")
    assert again.status_code == 400


def test_sharpen(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    missing = client.post(_at(question, "sharpen"), {"title": "Alleen een titel"}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"summary"}
    sharpened = client.post(
        _at(question, "sharpen"),
        {"title": "Dreigende ontruiming", "summary": "Vier maanden achterstand.", "reason": "Kort"},
        format="json",
    )
    assert sharpened.status_code == 200, sharpened.json()
    assert sharpened.json()["title"] == "Dreigende ontruiming"
    assert sharpened.json()["summary"] == "Vier maanden achterstand."
    assert sharpened.json()["claim"]["mine"] is True  # the worker goes on with it
    assert question.revisions.count() == 1


def test_assign(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    suggestions = client.get(_at(question, "suggestions"))
    assert suggestions.status_code == 200
    suggested = [s["expert"]["id"] for s in suggestions.json()]
    assert tri.expert.pk in suggested and tri.foreign_expert.pk not in suggested
    _no_canary(suggestions)
    foreign = client.post(
        _at(question, "assign"), {"experts": [tri.foreign_expert.pk]}, format="json"
    )
    assert foreign.status_code == 400 and set(foreign.json()) == {"experts"}
    assigned = client.post(
        _at(question, "assign"),
        {"experts": [tri.expert.pk, tri.second_expert.pk], "reason": "Schulden"},
        format="json",
    )
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["status"] == Status.ASSIGNED
    assert set(question.experts.values_list("expert", flat=True)) == {
        tri.expert.pk,
        tri.second_expert.pk,
    }


def test_plan_session(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    no_reason = client.post(_at(question, "plan-session"), {}, format="json")
    assert no_reason.status_code == 400 and set(no_reason.json()) == {"reason"}
    planned = client.post(
        _at(question, "plan-session"), {"reason": "Jeugd, GGZ en schulden."}, format="json"
    )
    assert planned.status_code == 200
    assert planned.json()["status"] == Status.SCHEDULED
    # The planner can now put it on a session of the pool.
    response = api(tri.worker).post(
        "/api/v1/sessions/",
        {
            "pool": tri.pool.pk,
            "starts_at": "2099-03-03T13:00:00+01:00",
            "ends_at": "2099-03-03T15:00:00+01:00",
            "video_link": "https://overleg.example/mdo",
            "questions": [question.pk],
            "experts": [tri.expert.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["item_count"] == 1


def test_redirect(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    pools = client.get(_at(question, "redirect-pools")).json()["results"]
    assert [p["id"] for p in pools] == [tri.other_pool.pk]
    no_pool = client.post(
        _at(question, "redirect"), {"target": "other_pool", "note": "Daar past het."}, format="json"
    )
    assert no_pool.status_code == 400 and set(no_pool.json()) == {"pool"}
    elsewhere = ExpertPoolFactory(
        region=tri.org["region"], collaboration_model=ExpertPool.CollaborationModel.NETWORK
    )  # serves no team of the question
    wrong = client.post(
        _at(question, "redirect"),
        {"target": "other_pool", "pool": elsewhere.pk, "note": "Daar past het."},
        format="json",
    )
    assert wrong.status_code == 400 and set(wrong.json()) == {"pool"}
    bad_target = client.post(
        _at(question, "redirect"), {"target": "nergens", "note": "x"}, format="json"
    )
    assert bad_target.status_code == 400 and set(bad_target.json()) == {"target"}

    redirected = client.post(
        _at(question, "redirect"),
        {"target": "other_pool", "pool": tri.other_pool.pk, "note": "Daar zit de expertise."},
        format="json",
    )

    assert redirected.status_code == 200, redirected.json()
    assert redirected.json()["status"] == Status.REDIRECTED
    question.refresh_from_db()
    assert question.redirect_pool == tri.other_pool


# --- The queue: paged, with a fixed number of queries --------------------------------------------
REQUEST_OVERHEAD = 2  # the user and the OTP device (tests/api/test_questions_query_budget.py)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_queue_has_a_fixed_number_of_queries(tri, api, rows, django_assert_num_queries):
    for i in range(rows):
        tri.ask(title=f"Vraag {i}", urgency="urgent" if i % 3 == 0 else "normal")
    questions = list(Question.objects.order_by("pk"))
    services.triage_claim(worker=tri.worker, question=questions[0])
    if rows > 1:  # claims by two workers: the claims prefetch serves both
        services.triage_claim(worker=tri.second_worker, question=questions[-1])
    client = api(tri.worker)
    client.get(QUEUE)  # warm up
    # The page of the queue, one row more than it shows, read through its lean rows
    # (triage.selectors.listed: 1) · life domains, target groups, claims with their worker (3)
    with django_assert_num_queries(REQUEST_OVERHEAD + 4):
        response = client.get(QUEUE)
    body = response.json()
    assert len(body["results"]) == min(rows, PAGE_SIZE)
    assert (body["next"] is not None) == (rows > PAGE_SIZE)
    _no_canary(response)
    if rows > PAGE_SIZE:
        with django_assert_num_queries(REQUEST_OVERHEAD + 4):
            second = client.get(body["next"]).json()
        assert len(second["results"]) == rows - PAGE_SIZE
        ids = [q["id"] for q in body["results"] + second["results"]]
        assert len(set(ids)) == rows
    # Late questions (all of them, a month old): the pools' clock targets (1) · the page (1) ·
    # life domains, target groups, claims (3)
    Question.objects.update(submitted_at=timezone.now() - timedelta(days=30))
    client.get(f"{QUEUE}?list=late")
    with django_assert_num_queries(REQUEST_OVERHEAD + 5):
        late = client.get(f"{QUEUE}?list=late").json()
    assert len(late["results"]) == min(rows, PAGE_SIZE)
    assert all(q["triage_late"] for q in late["results"])


def test_a_bad_list_is_a_400(tri, api):
    response = api(tri.worker).get(f"{QUEUE}?list=alles")
    assert response.status_code == 400 and set(response.json()) == {"list"}


def test_the_browsable_api_renders_the_queue_without_leaking(tri, api):
    question = _claimed(tri)
    client = api(tri.worker)
    for path in (QUEUE, _at(question), _at(question, "suggestions")):
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        _no_canary(response)
