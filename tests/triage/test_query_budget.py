import pytest
from django.urls import reverse

from config.pagination import PER_PAGE
from consultation.models import Question
from tests.helpers import verify_session
from triage import services

pytestmark = pytest.mark.django_db

# Per page view: session, user, OTP device, roles for the navigation, the bell's unread count
# (5) and the session save of the sliding idle timeout (savepoint, update, release: 3).
REQUEST_OVERHEAD = 8


@pytest.mark.parametrize("rows", [1, 50])
def test_triage_queue_budget(client, tri, django_assert_num_queries, rows):
    for i in range(rows):
        tri.ask(title=f"Vraag {i}", urgency="urgent" if i % 3 == 0 else "normal")
    questions = list(Question.objects.order_by("pk"))
    services.triage_claim(worker=tri.worker, question=questions[0])
    if rows > 1:  # claims by two workers: the claims prefetch serves both
        services.triage_claim(worker=tri.second_worker, question=questions[-1])
    verify_session(client, tri.worker)
    client.get(reverse("triage:home"))
    # My claims and the queue: each questions (1) + life domains, target groups, claims with
    # their worker (3); the late list: the pools' clock targets (1) and the questions (1, none
    # late here); today's decisions (1). Each list is one page.
    with django_assert_num_queries(REQUEST_OVERHEAD + 11):
        response = client.get(reverse("triage:home"))
    queue = response.context["queue"]
    assert len(queue) == min(rows, PER_PAGE)
    assert queue.has_next == (rows > PER_PAGE)
    assert len(response.context["mine"]) == 1
