"""Permission matrix for triage: triage workers see only their own pool's queue and never the
resident's identity; experts see a triage-pool question only once assigned to it."""

import pytest
from django.urls import reverse

from consultation.models import Question, Status
from tests.helpers import verify_session
from tests.triage.factories import CANARY
from triage import services
from triage.models import TriageClaim

pytestmark = pytest.mark.django_db

ACTORS = [
    "generalist",
    "team_lead",
    "worker",
    "second_worker",
    "other_worker",
    "expert",
    "unassigned_expert",
    "foreign_expert",
]
TRIAGE = {"worker", "second_worker", "other_worker"}
OWN_POOL_TRIAGE = {"worker", "second_worker"}
TEAM = {"generalist", "team_lead"}


def _user(tri, actor):
    return getattr(tri, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_triage_home_and_queue(client, tri, actor):
    question = tri.ask()
    verify_session(client, _user(tri, actor))
    response = client.get(reverse("triage:home"))
    if actor not in TRIAGE:
        assert response.status_code == 404  # not a triage worker: the page does not exist
        return
    assert response.status_code == 200
    in_queue = [q.pk for q in response.context["queue"]]
    # Only the worker's own pool's queue.
    assert in_queue == ([question.pk] if actor in OWN_POOL_TRIAGE else [])
    for secret in CANARY:
        assert secret not in response.text


@pytest.mark.parametrize("actor", ACTORS)
def test_triage_question_page(client, tri, actor):
    question = tri.ask()
    verify_session(client, _user(tri, actor))
    response = client.get(reverse("triage:question", args=[question.pk]))
    # Another pool's worker: out of scope; anyone else: no triage role. Both a 404.
    expected = 200 if actor in OWN_POOL_TRIAGE else 404
    assert response.status_code == expected
    if expected == 200:
        for secret in CANARY:
            assert secret not in response.text


@pytest.mark.parametrize("actor", ACTORS)
def test_claim(client, tri, actor):
    question = tri.ask()
    verify_session(client, _user(tri, actor))
    response = client.post(reverse("triage:claim", args=[question.pk]))
    expected = 302 if actor in OWN_POOL_TRIAGE else 404
    assert response.status_code == expected
    assert TriageClaim.objects.filter(question=question).exists() == (expected == 302)


@pytest.mark.parametrize("actor", ACTORS)
def test_claim_next(client, tri, actor):
    question = tri.ask()
    verify_session(client, _user(tri, actor))
    response = client.post(reverse("triage:claim-next"))
    assert response.status_code == (302 if actor in TRIAGE else 404)
    claim = TriageClaim.objects.filter(question=question).first()
    # A worker of another pool never gets this pool's question.
    assert (claim is not None and claim.worker == _user(tri, actor)) == (actor in OWN_POOL_TRIAGE)


@pytest.mark.parametrize("actor", ACTORS)
def test_decision_needs_the_claim(client, tri, actor):
    question = tri.ask()
    services.triage_claim(worker=tri.worker, question=question)
    verify_session(client, _user(tri, actor))
    response = client.post(
        reverse("triage:question", args=[question.pk]),
        {"decision": "answer", "answer-body": "Direct advies."},
    )
    expected = {"worker": 302, "second_worker": 400}.get(actor, 404)
    assert response.status_code == expected
    question.refresh_from_db()
    assert (question.status == Status.ANSWERED) == (actor == "worker")


@pytest.mark.parametrize("actor", ACTORS)
def test_expert_sees_a_triage_question_only_once_assigned(client, tri, actor):
    question = tri.ask()
    url = reverse("consultation:question", args=[question.pk])
    verify_session(client, _user(tri, actor))
    before = client.get(url).status_code
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_assign(worker=tri.worker, question=question, experts=[tri.expert])
    after = client.get(url).status_code
    visible_to_all_along = TEAM | OWN_POOL_TRIAGE
    assert before == (200 if actor in visible_to_all_along else 404)
    assert after == (200 if actor in visible_to_all_along | {"expert"} else 404)


@pytest.mark.parametrize("actor", ACTORS)
def test_accept_and_decline(client, tri, actor):
    question = tri.ask()
    services.triage_claim(worker=tri.worker, question=question)
    services.triage_assign(worker=tri.worker, question=question, experts=[tri.expert])
    verify_session(client, _user(tri, actor))
    response = client.post(
        reverse("triage:decline", args=[question.pk]), {"reason": "Geen tijd deze maand."}
    )
    # Only the assigned expert can decline; those who see the question but are not assigned
    # get 403, the rest 404.
    expected = 302 if actor == "expert" else 403 if actor in TEAM | OWN_POOL_TRIAGE else 404
    assert response.status_code == expected
    question.refresh_from_db()
    assert (question.status == Status.IN_TRIAGE) == (actor == "expert")


def test_triage_never_sees_identity_through_the_question_page(client, tri):
    question = tri.ask()
    verify_session(client, tri.worker)
    body = client.get(reverse("consultation:question", args=[question.pk])).text
    assert Question.objects.filter(pk=question.pk).exists()
    for secret in CANARY:
        assert secret not in body
